import { expect } from '@open-wc/testing';
import { DatasetError, gzip, parseDataset, readDatasetBytes, serializeDataset, serializeDatasetParts, type Dataset } from '../../../src/dataset';
import { DATASET_LIMITS } from '../../../src/dataset/limits';
import { decodeVectors, encodeVectors, fromHalf, toHalf } from '../../../src/dataset/vector-encoding';

/** Seeded unit rows, non-negative as MobileNet's pooled activations are. */
function unitRows(rows: number, dim: number, seed = 1): Float32Array {
  let a = seed;
  const next = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let squares = 0;
    for (let i = 0; i < dim; i++) {
      out[r * dim + i] = next() ** 3;
      squares += out[r * dim + i] ** 2;
    }
    for (let i = 0; i < dim; i++) out[r * dim + i] /= Math.sqrt(squares);
  }
  return out;
}

const dataset = (rows: number, dim: number): Dataset => ({
  model: null,
  dimension: dim,
  classes: [
    { label: 'Rock', color: '#0072b2', vectors: unitRows(rows, dim, 1), thumbnails: [] },
    { label: 'Paper', color: '#e69f00', vectors: unitRows(rows, dim, 2), thumbnails: [] },
  ],
});

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

describe('compact dataset files', () => {
  it('rounds to the nearest float16 and back, for every half there is', () => {
    expect(toHalf(1)).to.equal(0x3c00);
    expect(toHalf(-2)).to.equal(0xc000);
    expect(toHalf(65504)).to.equal(0x7bff);
    expect(toHalf(65520)).to.equal(0x7c00); // beyond the largest half, rounded: infinity
    expect(toHalf(2 ** -24)).to.equal(1);
    expect(toHalf(2 ** -26)).to.equal(0);
    expect(toHalf(1 + 2 ** -11)).to.equal(0x3c00); // a tie goes to the even mantissa
    expect(toHalf(1 + 3 * 2 ** -11)).to.equal(0x3c02);
    for (let half = 0; half < 0x10000; half++) {
      if ((half & 0x7c00) === 0x7c00 && half & 0x3ff) continue; // NaNs
      expect(toHalf(fromHalf(half)), `half ${half}`).to.equal(half === 0x8000 ? 0x8000 : half);
    }
  });

  it('keeps each unit row within cosine 0.99999 (float16) and 0.9999 (8-bit) of the float32 one', () => {
    const dim = 1280;
    const rows = unitRows(50, dim);
    for (const [encoding, least] of [
      ['float16', 0.99999],
      ['int8', 0.9999],
    ] as const) {
      const back = decodeVectors(encodeVectors(rows, dim, encoding), 50, dim, encoding);
      for (let r = 0; r < 50; r++) {
        expect(cosine(rows.subarray(r * dim, (r + 1) * dim), back.subarray(r * dim, (r + 1) * dim)), `${encoding} row ${r}`).to.be.greaterThan(least);
      }
    }
  });

  it('writes version 2 with its encoding, reads it back, and keeps float32 files version 1 and exact', () => {
    const original = dataset(20, 64);
    for (const encoding of ['float16', 'int8'] as const) {
      const text = serializeDataset(original, { encoding });
      const header = JSON.parse(text.slice(0, text.indexOf(',"classes"')) + '}');
      expect(header).to.deep.include({ version: 2, encoding });
      const parsed = parseDataset(text);
      expect(parsed.encoding).to.equal(encoding);
      expect(parsed.classes.map((c) => [c.label, c.vectors.length])).to.deep.equal([
        ['Rock', 20 * 64],
        ['Paper', 20 * 64],
      ]);
    }
    const exact = parseDataset(serializeDataset(original));
    expect(JSON.parse(serializeDataset(original)).version).to.equal(1);
    exact.classes.forEach((c, i) => expect(bits(c.vectors)).to.deep.equal(bits(original.classes[i].vectors)));
    // The parts, joined, are the text.
    expect(serializeDatasetParts(original, { encoding: 'int8' }).join('')).to.equal(serializeDataset(original, { encoding: 'int8' }));
  });

  it('measures: float16 takes half the bytes of float32, 8-bit a quarter, gzipped 8-bit less still', async () => {
    const original = dataset(500, 1280);
    const numbers = 1000 * 1280;
    const sizes: Record<string, number> = {};
    for (const encoding of ['float32', 'float16', 'int8'] as const) sizes[encoding] = serializeDataset(original, { encoding }).length / numbers;
    sizes.int8_gzip = (await gzip(serializeDatasetParts(original, { encoding: 'int8' }))).size / numbers;
    console.log(`bytes per number: ${JSON.stringify(sizes)}`);
    expect(sizes.float32).to.be.closeTo(5.333, 0.01);
    expect(sizes.float16).to.be.closeTo(2.667, 0.01);
    expect(sizes.int8).to.be.closeTo(1.333 + 5.333 / 1280, 0.01);
    expect(sizes.int8_gzip).to.be.lessThan(sizes.int8);
  });

  it('reads gzipped files, refuses one cut short, and one that would inflate past the size limit', async () => {
    const text = serializeDataset(dataset(10, 16), { encoding: 'float16' });
    const zipped = new Uint8Array(await (await gzip([text])).arrayBuffer());
    expect((await readDatasetBytes(zipped)).classes.length).to.equal(2);
    const refused = async (bytes: Uint8Array<ArrayBuffer>, limits = DATASET_LIMITS) => {
      try {
        await readDatasetBytes(bytes, limits);
      } catch (error) {
        expect(error).to.be.instanceOf(DatasetError);
        return (error as DatasetError).message;
      }
      throw new Error('not refused');
    };
    expect(await refused(zipped.slice(0, 40))).to.match(/starts as gzip, but cannot be unpacked/);
    // A bomb: 2 MB of spaces gzip to a few kB, under a 100 kB limit that the unpacked text is far over.
    const bomb = new Uint8Array(await (await gzip([' '.repeat(2_000_000)])).arrayBuffer());
    expect(bomb.length).to.be.lessThan(100_000);
    expect(await refused(bomb, { ...DATASET_LIMITS, maxFileBytes: 100_000 })).to.match(/holds more than the limit/);
  });
});
