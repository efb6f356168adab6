import { expect } from '@open-wc/testing';
import { classStats, powerTransform, project, spaceParameters, spaceSimilarities } from '../../src/classifier/feature-space';

describe('feature space', () => {
  it('power transform: square roots (negatives as 0), then unit length', () => {
    expect([...powerTransform([4, 0, -9, 0])]).to.deep.equal([1, 0, 0, 0]);
    const t = powerTransform([1, 1, 4, 4]);
    [1, 1, 2, 2].forEach((x, i) => expect(t[i]).to.be.closeTo(x / Math.sqrt(10), 1e-7));
  });

  it('centres on half the mean of the class means and weights components by between / within variance', () => {
    // Class a varies only in component 1, and so does b; their means differ only in component 0.
    const a = [Float32Array.from([1, 0.2]), Float32Array.from([1, 0.4])];
    const b = [Float32Array.from([3, 0.2]), Float32Array.from([3, 0.4])];
    const space = spaceParameters([classStats(a, 2), classStats(b, 2)], 2);
    // Means (1, 0.3) and (3, 0.3): their mean is (2, 0.3), and the centre half of it.
    expect(space.centre[0]).to.be.closeTo(1, 1e-7);
    expect(space.centre[1]).to.be.closeTo(0.15, 1e-7);
    // Between-class variance (1, 0); within-class (0, 4 x 0.01 / (4 - 2) = 0.02) plus 0.1 x its mean (0.01).
    expect(space.scale[0]).to.be.closeTo(Math.sqrt(1 / 0.001), 1e-3);
    expect(space.scale[1]).to.equal(0);
    // So only component 0 counts: a's examples sit on the centre (the zero vector), b's point along component 0.
    expect([...project(a[1], space)]).to.deep.equal([0, 0]);
    expect([...project(b[0], space)]).to.deep.equal([1, 0]);
  });

  it('similarities are cosines of the projected, power-transformed vectors', () => {
    const a = Float32Array.from([0.9, 0.1, 0, 0.3, 0.8, 0.1]);
    const b = Float32Array.from([0.1, 0.9, 0.2, 0.2, 0.7, 0.4, 0, 1, 0]);
    const query = [0.5, 0.5, 0.1];
    const rows = [a, b].map((flat) => Array.from({ length: flat.length / 3 }, (_, r) => powerTransform(flat.subarray(3 * r, 3 * r + 3))));
    const space = spaceParameters(rows.map((r) => classStats(r, 3)), 3);
    const q = project(powerTransform(query), space);
    const expected = rows.map((r) => r.map((row) => project(row, space).reduce((s, x, i) => s + x * q[i], 0)));
    const sims = spaceSimilarities([a, b], 3, query);
    sims.forEach((s, c) => [...s].forEach((x, r) => expect(x).to.be.closeTo(expected[c][r], 1e-6)));
    expect(sims.map((s) => s.length)).to.deep.equal([2, 3]);
  });

  it('uses scale 1 until some class has two examples, and with identical class means', () => {
    const one = spaceParameters([classStats([Float32Array.from([1, 0])], 2), classStats([Float32Array.from([0, 1])], 2)], 2);
    expect([...one.scale]).to.deep.equal([1, 1]);
    const same = [Float32Array.from([1, 0]), Float32Array.from([0, 1])];
    const identical = spaceParameters([classStats(same, 2), classStats(same, 2)], 2);
    expect([...identical.scale]).to.deep.equal([1, 1]);
    expect([...spaceParameters([], 2).scale]).to.deep.equal([1, 1]);
  });

  it('projects to unit length (or zero)', () => {
    const space = { centre: new Float64Array([0.5, 0]), scale: new Float64Array([1, 2]) };
    const p = project([1.5, 1], space);
    expect(Math.hypot(...p)).to.be.closeTo(1, 1e-6);
    expect(p[1] / p[0]).to.be.closeTo(2, 1e-6);
    expect([...project([0.5, 0], space)]).to.deep.equal([0, 0]);
  });
});
