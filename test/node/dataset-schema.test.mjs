// docs/dataset-format.schema.json describes what the app writes, and refuses what the app refuses (where a
// schema can tell). npm run test:node.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(repoRoot, 'test/fixtures/datasets');
const schema = JSON.parse(readFileSync(join(repoRoot, 'docs/dataset-format.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const scratch = mkdtempSync(join(tmpdir(), 'dataset-schema-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const read = (path) => JSON.parse(readFileSync(path, 'utf8'));

describe('docs/dataset-format.schema.json', () => {
  it('accepts every file the app writes (here: the command line converting each valid fixture)', async () => {
    for (const name of ['ml5-text-labels-object-tensors.json', 'ml5-numeric-labels-array-tensors.json', 'label-map.json', 'tricky-labels.json']) {
      const output = join(scratch, name);
      await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/dataset.mjs'), 'convert', join(fixtures, 'valid', name), output]);
      assert.ok(validate(read(output)), `${name}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('accepts the compact files the app writes, and refuses a version 2 file without its encoding', async () => {
    for (const [encoding, name] of [['float16', 'half.json'], ['int8', 'small.json']]) {
      const output = join(scratch, name);
      await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/dataset.mjs'), 'convert', join(fixtures, 'valid/label-map.json'), output, '--encoding', encoding]);
      assert.ok(validate(read(output)), `${name}: ${JSON.stringify(validate.errors)}`);
    }
    for (const name of ['compact-float16.json', 'compact-int8.json']) assert.ok(validate(read(join(fixtures, 'valid', name))), name);
  });

  it('accepts class outputs the app writes and refuses others', () => {
    const file = (output) => ({
      format: 'teachable-knn-dataset',
      version: 1,
      model: null,
      dimension: 1,
      classes: [{ label: 'a', color: '#0072b2', examples: 0, vectors: '', ...(output ? { output } : {}) }],
    });
    for (const output of [undefined, { kind: 'none' }, { kind: 'tone', tone: 'chime' }, { kind: 'speech' }, { kind: 'broadcast' }, { kind: 'sound', name: 'a.wav', dataUrl: 'data:audio/wav;base64,UklGRg==' }]) {
      assert.ok(validate(file(output)), `${JSON.stringify(output)}: ${JSON.stringify(validate.errors)}`);
    }
    for (const output of [{ kind: 'video' }, { kind: 'tone', tone: 'siren' }, { kind: 'sound', name: 'a', dataUrl: 'javascript:alert(1)' }, { kind: 'sound', name: '', dataUrl: 'data:audio/wav;base64,' }]) {
      assert.equal(validate(file(output)), false, JSON.stringify(output));
    }
  });

  it('refuses the hostile files in this app\'s format that a schema can judge', () => {
    const schemaCanTell = [
      'unknown-format.json',
      'future-version.json',
      'version-as-text.json',
      'model-id-path.json',
      'dimension-zero.json',
      'dimension-absurd.json',
      'classes-not-array.json',
      'examples-negative.json',
      'vectors-not-base64.json',
      'label-too-long.json',
      'label-not-text.json',
      'bad-color.json',
      'thumbnail-javascript-url.json',
      'thumbnail-svg.json',
      'too-many-classes.json',
      'compact-encoding-unknown.json',
      'compact-encoding-missing.json',
    ];
    for (const name of schemaCanTell) assert.equal(validate(read(join(fixtures, 'hostile', name))), false, name);
  });

  it('allows a frame for every example, up to 50,000 in a class, and no more', () => {
    const file = (thumbnails) => ({
      format: 'teachable-knn-dataset',
      version: 1,
      model: null,
      dimension: 1,
      classes: [{ label: 'a', color: '#0072b2', examples: 1, vectors: 'AACAPw==', thumbnails: Array(thumbnails).fill('data:image/png;base64,AAAA') }],
    });
    assert.ok(validate(file(50_000)), JSON.stringify(validate.errors?.slice(0, 1)));
    assert.equal(validate(file(50_001)), false);
  });
});
