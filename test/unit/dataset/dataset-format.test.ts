import { expect } from '@open-wc/testing';
import {
  checkFileSize,
  DATASET_LIMITS,
  DatasetError,
  decodeFloat32,
  encodeFloat32,
  FORMAT_NAME,
  parseDataset,
  parseDatasetBytes,
  serializeDataset,
  type Dataset,
} from '../../../src/dataset';
import { decodeBase64, decodeBase64Portable, encodeBase64Portable } from '../../../src/dataset/float32-base64';
import { seededRandom } from '../../helpers/tiny-model';
import { inFirefox } from '../../helpers/browser';

const FIXTURES = '/test/fixtures/datasets';

async function fixtureText(path: string): Promise<string> {
  const response = await fetch(`${FIXTURES}/${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.text();
}

/** The bits of a float32 array, so that -0, NaN payloads and rounding all count. */
const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

function randomFloats(seed: number, count: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * 10 ** Math.floor(random() * 10 - 5));
}

function errorOf(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('float32 base64', () => {
  it('round-trips every bit, including -0, subnormals, the extremes and every padding length', () => {
    const special = Float32Array.from([0, -0, 1.4e-45, -1.4e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1 / 3, Math.PI]);
    for (let length = 0; length <= special.length; length++) {
      const values = special.slice(0, length);
      expect(bits(decodeFloat32(encodeFloat32(values)))).to.deep.equal(bits(values));
    }
    const many = randomFloats(1, 10_001);
    expect(bits(decodeFloat32(encodeFloat32(many)))).to.deep.equal(bits(many));
  });

  it('is standard base64 of the little-endian bytes (what btoa gives), 4 characters per 3 bytes', () => {
    const values = randomFloats(2, 37);
    const bytes = new Uint8Array(values.buffer);
    expect(encodeFloat32(values)).to.equal(btoa(String.fromCharCode(...bytes)));
    expect(encodeFloat32(values).length).to.equal(Math.ceil((37 * 4) / 3) * 4);
    // Views into a larger buffer encode only their own numbers.
    expect(encodeFloat32(values.subarray(5, 9))).to.equal(encodeFloat32(values.slice(5, 9)));
  });

  it('gives the same text and bytes from the browser’s native base64 and the portable code (used in Node)', () => {
    for (const length of [0, 1, 2, 3, 4, 1000, 1001, 1002]) {
      const bytes = new Uint8Array(randomFloats(length + 7, Math.ceil(length / 4) + 1).buffer).slice(0, length);
      const text = encodeBase64Portable(bytes);
      expect(encodeFloat32(new Float32Array(0))).to.equal('');
      expect(Array.from(decodeBase64(text))).to.deep.equal(Array.from(bytes));
      expect(Array.from(decodeBase64Portable(text))).to.deep.equal(Array.from(bytes));
      if (length % 4 === 0) expect(encodeFloat32(new Float32Array(bytes.buffer))).to.equal(text);
    }
  });

  it('names the first character that is not base64 (whitespace included), and refuses partial numbers', () => {
    expect(() => decodeFloat32('AAAA*AAA')).to.throw(/character 4 \("\*"\) is not base64/);
    expect(() => decodeFloat32('AAAA AAA')).to.throw(/character 4 \(" "\) is not base64/);
    expect(() => decodeFloat32('AAAAAAA=')).to.throw(/5 bytes are not whole 4-byte numbers/);
    expect(() => decodeFloat32('AAAAA')).to.throw(/groups of 4/);
    expect(() => decodeFloat32('AAAA')).to.throw(/3 bytes are not whole 4-byte numbers/);
  });
});

describe('dataset format', () => {
  const dataset: Dataset = {
    model: 'mobilenet-v1-0.25',
    dimension: 256,
    classes: [
      { label: 'Rock', color: '#0072b2', vectors: randomFloats(3, 256 * 5), thumbnails: ['data:image/jpeg;base64,/9j/4AAQ'] },
      { label: '<b>Paper</b> & co', color: '#e69f00', vectors: randomFloats(4, 256 * 2), thumbnails: [] },
      { label: 'Empty', color: '#009e73', vectors: new Float32Array(0), thumbnails: [] },
    ],
  };

  it('round-trips exactly: every vector bit, labels, order, colours, thumbnails and the model', () => {
    const text = serializeDataset(dataset);
    const parsed = parseDataset(text);
    expect(parsed.source).to.equal('teachable-knn');
    expect(parsed.model).to.equal('mobilenet-v1-0.25');
    expect(parsed.dimension).to.equal(256);
    expect(parsed.classes.map((c) => [c.label, c.color, c.thumbnails])).to.deep.equal(
      dataset.classes.map((c) => [c.label, c.color, c.thumbnails]),
    );
    parsed.classes.forEach((c, i) => expect(bits(c.vectors)).to.deep.equal(bits(dataset.classes[i].vectors)));
    // Writing what was read gives the same text.
    expect(serializeDataset(parsed)).to.equal(text);
  });

  it('keeps class outputs, reads classes without one as before, and refuses a bad one saying where', () => {
    const sound = { kind: 'sound', name: 'ding.wav', dataUrl: 'data:audio/wav;base64,UklGRg==' } as const;
    const withOutputs: Dataset = {
      ...dataset,
      classes: [
        { ...dataset.classes[0], output: { kind: 'tone', tone: 'chime' } },
        { ...dataset.classes[1], output: sound },
        { ...dataset.classes[2], output: { kind: 'none' } },
      ],
    };
    const text = serializeDataset(withOutputs);
    const parsed = parseDataset(text);
    expect(parsed.classes.map((c) => c.output)).to.deep.equal([{ kind: 'tone', tone: 'chime' }, sound, undefined]);
    expect(serializeDataset(parsed)).to.equal(text);
    expect(JSON.parse(text).classes[2]).to.not.have.property('output');
    // A file written before outputs existed is the same file as one without outputs.
    expect(serializeDataset(dataset)).to.equal(serializeDataset({ ...withOutputs, classes: dataset.classes }));
    const json = JSON.parse(text);
    json.classes[1].output = { kind: 'sound', name: 'x', dataUrl: 'javascript:alert(1)' };
    const error = errorOf(() => parseDataset(JSON.stringify(json)));
    expect(error.where).to.equal('classes[1] "<b>Paper</b> & co"');
    expect(error.problem).to.equal('"output": a sound\'s "dataUrl" must be a base64 audio data URL');
  });

  it('costs about 5.3 bytes per number', () => {
    const big: Dataset = { model: null, dimension: 1280, classes: [{ label: 'a', color: null, vectors: randomFloats(5, 1280 * 50), thumbnails: [] }] };
    const bytesPerNumber = serializeDataset(big).length / (1280 * 50);
    expect(bytesPerNumber).to.be.within(5.33, 5.34);
  });

  it('starts with the format name and version, and gives colourless classes the default palette', () => {
    const text = serializeDataset({ model: null, dimension: 2, classes: [{ label: 'x', color: null, vectors: new Float32Array([1, 0]), thumbnails: [] }] });
    const json = JSON.parse(text);
    expect(json.format).to.equal(FORMAT_NAME);
    expect(json.version).to.equal(1);
    expect(json.model).to.equal(null);
    expect(json.classes[0].color).to.match(/^#[0-9a-f]{6}$/);
    expect(json.classes[0]).to.not.have.property('thumbnails');
  });

  it(`keeps a frame for every example, up to ${DATASET_LIMITS.maxThumbnailsPerClass} a class, and refuses more`, () => {
    const frames = (n: number) => Array.from({ length: n }, (_, i) => `data:image/png;base64,${btoa(String(i % 1000).padStart(3, '0'))}`);
    const file = (examples: number, thumbnails: string[]) =>
      serializeDataset({ model: null, dimension: 1, classes: [{ label: 'a', color: null, vectors: new Float32Array(examples).fill(1), thumbnails }] });
    expect(parseDataset(file(5000, frames(5000))).classes[0].thumbnails).to.deep.equal(frames(5000));
    const error = errorOf(() => parseDataset(file(1, frames(DATASET_LIMITS.maxThumbnailsPerClass + 1))));
    expect(error.where).to.equal('classes[0] "a"');
    expect(error.problem).to.equal(`there are ${DATASET_LIMITS.maxThumbnailsPerClass + 1} thumbnails; the limit is ${DATASET_LIMITS.maxThumbnailsPerClass} per class`);
  });

  it('reads ml5.js files with text labels and index-keyed tensors, exactly as float32', async () => {
    const text = await fixtureText('valid/ml5-text-labels-object-tensors.json');
    const parsed = parseDataset(text);
    expect(parsed.source).to.equal('ml5');
    expect(parsed.model).to.equal(null);
    expect(parsed.dimension).to.equal(8);
    expect(parsed.classes.map((c) => c.label)).to.deep.equal(['Rock', 'Paper', 'Scissors']);
    expect(parsed.classes.map((c) => c.vectors.length / 8)).to.deep.equal([3, 2, 1]);
    const raw = JSON.parse(text) as { tensors: Record<string, number>[] };
    raw.tensors.forEach((tensor, j) => {
      const expected = Float32Array.from(Object.keys(tensor).map((k) => tensor[k]));
      expect(bits(parsed.classes[j].vectors)).to.deep.equal(bits(expected));
    });
  });

  it('reads ml5.js files with numeric labels (no label field: the key is the label) and array tensors', async () => {
    const parsed = parseDataset(await fixtureText('valid/ml5-numeric-labels-array-tensors.json'));
    expect(parsed.classes.map((c) => [c.label, c.vectors.length / 8])).to.deep.equal([
      ['0', 2],
      ['1', 3],
    ]);
    expect(parsed.classes.every((c) => c.color === null && c.thumbnails.length === 0)).to.equal(true);
  });

  it('reads {"label": [[...]]} maps', async () => {
    const parsed = parseDataset(await fixtureText('valid/label-map.json'));
    expect(parsed.source).to.equal('label-map');
    expect(parsed.classes.map((c) => [c.label, c.vectors.length / 8])).to.deep.equal([
      ['Rock', 2],
      ['Paper', 1],
    ]);
    expect(Array.from(parsed.classes[1].vectors)).to.deep.equal([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('keeps __proto__, constructor, toString and markup as plain-text labels, polluting no prototype', async () => {
    for (const file of ['valid/tricky-labels.json', 'valid/label-map-proto.json', 'hostile/proto-object.json']) {
      try {
        parseDataset(await fixtureText(file));
      } catch {
        // proto-object.json is refused; what matters here is what parsing leaves behind.
      }
    }
    const tricky = parseDataset(await fixtureText('valid/tricky-labels.json'));
    expect(tricky.classes.map((c) => c.label)).to.deep.equal(['__proto__', 'constructor', 'toString', '<img src=x onerror="alert(1)">', 'hasOwnProperty']);
    const map = parseDataset(await fixtureText('valid/label-map-proto.json'));
    expect(map.classes.map((c) => c.label)).to.deep.equal(['__proto__', 'constructor', 'valueOf']);
    expect(Object.getPrototypeOf(map.classes)).to.equal(Array.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.prototype).to.not.have.property('polluted');
    expect(typeof ({}).toString).to.equal('function');
  });

  it('cleans labels as the app does (one line, collapsed spaces) and refuses what cleaning would merge', () => {
    const text = (labels: string[]) => JSON.stringify(Object.fromEntries(labels.map((l) => [l, [[1, 0]]])));
    expect(parseDataset(text(['  Thumbs\n\tup  '])).classes[0].label).to.equal('Thumbs up');
    const error = errorOf(() => parseDataset(text(['Thumbs up', 'Thumbs  up'])));
    expect(error.where).to.equal('class "Thumbs up"');
    expect(error.problem).to.match(/already used/);
  });

  it('refuses files over the size limit, by size alone or by text', () => {
    expect(() => checkFileSize(DATASET_LIMITS.maxFileBytes)).to.not.throw();
    expect(errorOf(() => checkFileSize(DATASET_LIMITS.maxFileBytes + 1)).message).to.match(/the file is 400\.0 MB; the limit is 400\.0 MB/);
    const small = { ...DATASET_LIMITS, maxFileBytes: 100 };
    expect(errorOf(() => parseDataset(serializeDataset(dataset), small)).message).to.match(/the file is \d+ bytes; the limit is 100 bytes/);
    expect(errorOf(() => parseDatasetBytes(new Uint8Array(101), small)).message).to.match(/the file is/);
  });
});

describe('hostile dataset files', () => {
  let expected: Record<string, { message: string; where: string | null }>;

  before(async () => {
    expected = JSON.parse(await fixtureText('hostile/expected.json'));
  });

  it('there are at least 20 of them', () => {
    expect(Object.keys(expected).length).to.be.at.least(20);
  });

  it('each is refused with a DatasetError that says what is wrong and where', async () => {
    for (const [name, { message, where }] of Object.entries(expected)) {
      const bytes = new Uint8Array(await (await fetch(`${FIXTURES}/hostile/${name}`)).arrayBuffer());
      const error = errorOf(() => parseDatasetBytes(bytes));
      // SpiderMonkey places every JSON error (line 1, column 1 for a file that is not JSON at all); V8 places some.
      const placed = inFirefox && where === null && /not valid JSON/.test(message) ? error.where : where;
      if (placed !== where) expect(placed, name).to.match(/^line \d+, column \d+$/);
      expect(error.where, name).to.equal(placed);
      expect(error.problem, name).to.match(new RegExp(message));
      expect(error.message, name).to.equal(placed ? `${placed}: ${error.problem}` : error.problem);
    }
  });
});
