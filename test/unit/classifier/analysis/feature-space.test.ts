import { expect } from '@open-wc/testing';
import { classStats, powerTransform, project, projectInto, spaceParameters, spaceSimilarities } from '../../../../src/classifier/analysis/feature-space';
import { WHITENING_MAX_DEVIATIONS, WHITENING_SHRINK, deviationSample, sampledRows, whitenedLength, whiteningDirections, whiteningFactor } from '../../../../src/classifier/analysis/whitening';

/** Solves a x = b by Gauss-Jordan elimination with partial pivoting (n is tiny here). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

const dotOf = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);

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

  it('with one example per class, similarities are plain cosines of the projected, power-transformed vectors', () => {
    const a = Float32Array.from([0.9, 0.1, 0]);
    const b = Float32Array.from([0.1, 0.9, 0.2]);
    const query = [0.5, 0.5, 0.1];
    const rows = [a, b].map((flat) => [powerTransform(flat)]);
    const space = spaceParameters(rows.map((r) => classStats(r, 3)), 3);
    const q = project(powerTransform(query), space);
    const sims = spaceSimilarities([a, b], 3, query);
    rows.forEach((r, c) => expect(sims[c][0]).to.be.closeTo(dotOf(project(r[0], space), q), 1e-6));
    expect(whiteningDirections([[project(rows[0][0], space)], [project(rows[1][0], space)]], 3)).to.equal(null);
  });

  it('with several examples, similarities are cosines under the inverse of the shrunk within-class covariance', () => {
    const a = Float32Array.from([0.9, 0.1, 0, 0.3, 0.8, 0.1]);
    const b = Float32Array.from([0.1, 0.9, 0.2, 0.2, 0.7, 0.4, 0, 1, 0]);
    const query = [0.5, 0.5, 0.1];
    const rows = [a, b].map((flat) => Array.from({ length: flat.length / 3 }, (_, r) => powerTransform(flat.subarray(3 * r, 3 * r + 3))));
    const space = spaceParameters(rows.map((r) => classStats(r, 3)), 3);
    const projected = rows.map((r) => r.map((row) => [...project(row, space)]));
    // Sigma = D^T D + shrink x trace(D^T D) / dim x I, from the deviations D from each class's mean (any overall
    // scale of Sigma leaves cosines unchanged), inverted here by elimination.
    const deviations = projected.flatMap((r) => {
      const mean = [0, 1, 2].map((i) => r.reduce((s, row) => s + row[i], 0) / r.length);
      return r.map((row) => row.map((x, i) => x - mean[i]));
    });
    const scatter = [0, 1, 2].map((i) => [0, 1, 2].map((j) => deviations.reduce((s, d) => s + d[i] * d[j], 0)));
    const lambda = (WHITENING_SHRINK * (scatter[0][0] + scatter[1][1] + scatter[2][2])) / 3;
    const sigma = scatter.map((row, i) => row.map((x, j) => x + (i === j ? lambda : 0)));
    const metric = (x: number[], y: number[]) => dotOf(x, solve(sigma, y));
    const q = [...project(powerTransform(query), space)];
    const expected = projected.map((r) => r.map((x) => metric(x, q) / Math.sqrt(metric(x, x) * metric(q, q))));
    const sims = spaceSimilarities([a, b], 3, query);
    sims.forEach((s, c) => [...s].forEach((x, r) => expect(x).to.be.closeTo(expected[c][r], 1e-5)));
    expect(sims.map((s) => s.length)).to.deep.equal([2, 3]);
    // And it is not the plain cosine: the metric changed something here.
    expect(Math.abs(sims[1][0] - dotOf(projected[1][0], q))).to.be.greaterThan(1e-3);
  });

  it('whitening factor: T = L^-1 with L L^T = G + shrink x trace(G) / dim x I', () => {
    const d = [
      [0.3, -0.1, 0.2, 0],
      [-0.2, 0.4, 0, 0.1],
      [0.1, 0.1, -0.3, 0.2],
    ];
    const m = d.length;
    const dim = 4;
    const gram = d.flatMap((x) => d.map((y) => dotOf(x, y)));
    const t = whiteningFactor(gram, m, dim)!;
    const lambda = (WHITENING_SHRINK * (gram[0] + gram[4] + gram[8])) / dim;
    // T A T^T = I, with A = G + lambda I, and T lower triangular.
    for (let i = 0; i < m; i++) {
      expect(t.slice(i * m + i + 1, (i + 1) * m).every((x) => x === 0)).to.equal(true);
      for (let j = 0; j < m; j++) {
        let sum = 0;
        for (let k = 0; k < m; k++) for (let l = 0; l < m; l++) sum += t[i * m + k] * (gram[k * m + l] + (k === l ? lambda : 0)) * t[j * m + l];
        expect(sum).to.be.closeTo(i === j ? 1 : 0, 1e-9);
      }
    }
    expect(whiteningFactor(new Float64Array(m * m), m, dim)).to.equal(null);
  });

  it('estimates the covariance from every deviation up to the cap, then from evenly spaced ones', () => {
    expect(deviationSample(5)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(deviationSample(10, 4)).to.deep.equal([0, 2, 5, 7]);
    const many = deviationSample(10 * WHITENING_MAX_DEVIATIONS);
    expect(many.length).to.equal(WHITENING_MAX_DEVIATIONS);
    expect(many[1] - many[0]).to.equal(10);
    // The same sample named by class and row, skipping empty classes: pooled rows 0, 2, 5 and 7 of classes of 3, 0, 7.
    expect(sampledRows([3, 0, 7], 4)).to.deep.equal([
      { c: 0, r: 0 },
      { c: 0, r: 2 },
      { c: 2, r: 2 },
      { c: 2, r: 4 },
    ]);
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
    // projectInto writes the same numbers at an offset and returns the length they had before their scaling.
    const out = new Float32Array(4);
    expect(projectInto([1.5, 1], space, out, 2)).to.be.closeTo(Math.hypot(1, 2), 1e-12);
    expect([...out.subarray(2)]).to.deep.equal([...p]);
  });

  it('measures lengths under the whitened metric as sqrt(x.x - Ex.Ex), never zero', () => {
    expect(whitenedLength([3, 4], [])).to.equal(5);
    expect(whitenedLength([3, 4], [3])).to.equal(4);
    expect(whitenedLength([3, 4], [3, 4])).to.equal(1e-6);
  });
});
