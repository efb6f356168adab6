import { expect } from '@open-wc/testing';
import { parseDataset, serializeKnnClassifier, type Dataset } from '../../../src/dataset';

const fixtureText = async (name: string) => (await fetch(`/test/fixtures/datasets/${name}`)).text();

describe("knn-classifier's [label, numbers, shape] form", () => {
  it('reads the form tutorials save, labels as plain text', async () => {
    const parsed = parseDataset(await fixtureText('valid/knn-classifier.json'));
    const raw = JSON.parse(await fixtureText('valid/knn-classifier.json')) as [string, number[], number[]][];
    expect(parsed.source).to.equal('knn-classifier');
    expect(parsed.model).to.equal(null);
    expect(parsed.dimension).to.equal(8);
    expect(parsed.classes.map((c) => [c.label, c.vectors.length / 8, c.color])).to.deep.equal([
      ['thumbs up', 3, null],
      ['__proto__', 2, null],
    ]);
    expect(Array.from(parsed.classes[1].vectors)).to.deep.equal(raw[1][1].map(Math.fround));
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('writes every float32 back bit for bit, leaving out classes without examples, and refuses two classes of one label', () => {
    const vectors = Float32Array.from({ length: 12 }, (_, i) => Math.fround(Math.sin(i + 1) / 3));
    vectors[0] = 1e-38;
    vectors[1] = -3.4e38;
    const dataset: Dataset = {
      model: 'mobilenet-v1-0.25',
      dimension: 4,
      classes: [
        { label: 'a "quoted" label', color: '#000000', vectors: vectors.subarray(0, 8), thumbnails: ['data:image/png;base64,AAAA'] },
        { label: 'empty', color: '#000000', vectors: new Float32Array(0), thumbnails: [] },
        { label: 'b', color: '#000000', vectors: vectors.subarray(8), thumbnails: [] },
      ],
    };
    const text = serializeKnnClassifier(dataset);
    expect(JSON.parse(text).map((entry: unknown[]) => [entry[0], entry[2]])).to.deep.equal([
      ['a "quoted" label', [2, 4]],
      ['b', [1, 4]],
    ]);
    const back = parseDataset(text);
    expect(Array.from(back.classes[0].vectors)).to.deep.equal(Array.from(vectors.subarray(0, 8)));
    expect(Array.from(back.classes[1].vectors)).to.deep.equal(Array.from(vectors.subarray(8)));
    const twice = { ...dataset, classes: [dataset.classes[0], { ...dataset.classes[2], label: 'a "quoted" label' }] };
    expect(() => serializeKnnClassifier(twice)).to.throw('two classes are called "a \\"quoted\\" label": rename one, then export again');
  });
});
