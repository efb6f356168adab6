// The dataset command line, run as users run it (node scripts/dataset.mjs), on the shared fixtures.
// npm run test:node (also part of npm test).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(repoRoot, 'test/fixtures/datasets');
const expected = JSON.parse(readFileSync(join(fixtures, 'hostile/expected.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'dataset-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
function cli(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'scripts/dataset.mjs'), ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

function assertCleanFailure(result, code = 1) {
  assert.equal(result.code, code, `exit code (stderr: ${result.stderr})`);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /Error:/, 'no error class names');
}

/** The little-endian float32s of a base64 string. */
const floats = (base64) => {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};

describe('npm run dataset -- inspect', () => {
  it('summarises an ml5.js file with text labels and object tensors', async () => {
    const result = await cli('inspect', join(fixtures, 'valid/ml5-text-labels-object-tensors.json'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /format: +ml5\.js KNNClassifier file/);
    assert.match(result.stdout, /dimension: +8/);
    assert.match(result.stdout, /classes: +3 \(6 examples\)/);
    assert.match(result.stdout, /0 +"Rock" +3 examples/);
    assert.match(result.stdout, /2 +"Scissors" +1 example/);
    assert.ok(result.stdout.split('\n').length < 25, 'one screen');
  });

  it('names ml5.js classes saved with numeric labels by their index', async () => {
    const result = await cli('inspect', join(fixtures, 'valid/ml5-numeric-labels-array-tensors.json'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /0 +"0" +2 examples/);
    assert.match(result.stdout, /1 +"1" +3 examples/);
  });

  it('reads labels such as __proto__ and markup as plain text', async () => {
    const result = await cli('inspect', join(fixtures, 'valid/tricky-labels.json'));
    assert.equal(result.code, 0, result.stderr);
    for (const label of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) assert.match(result.stdout, new RegExp(`"${label}"`));
    assert.match(result.stdout, /"<img src=x/);
  });

  const hostile = Object.entries(expected);
  it(`refuses each of the ${hostile.length} hostile files with its message and place, exit 1 and no stack trace`, async () => {
    assert.ok(hostile.length >= 20);
    const results = await Promise.all(hostile.map(([name]) => cli('inspect', join(fixtures, 'hostile', name))));
    hostile.forEach(([name, { message, where }], i) => {
      const result = results[i];
      assertCleanFailure(result);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `${name}: one line`);
      const prefix = `dataset: ${join(fixtures, 'hostile', name)}: ${where ? `${where}: ` : ''}`;
      assert.ok(lines[0].startsWith(prefix), `${name}: ${lines[0]} should start with ${prefix}`);
      assert.match(lines[0].slice(prefix.length), new RegExp(message), name);
    });
  });

  it('refuses a file over the size limit before reading it', async () => {
    const huge = join(scratch, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 450 * 1024 * 1024); // sparse: nothing is written
    const result = await cli('inspect', huge);
    assertCleanFailure(result);
    assert.match(result.stderr, /the file is 450\.0 MB; the limit is 400\.0 MB/);
  });

  it('says so when the file does not exist, and exits 2 on bad arguments', async () => {
    const missing = await cli('inspect', join(scratch, 'nope.json'));
    assertCleanFailure(missing);
    assert.match(missing.stderr, /cannot read .*nope\.json: no such file or directory/);
    assertCleanFailure(await cli('inspect'), 2);
    assertCleanFailure(await cli('frobnicate', 'x'), 2);
    assertCleanFailure(await cli(), 2);
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: npm run dataset -- inspect FILE/);
  });
});

describe('npm run dataset -- convert', () => {
  it('writes an ml5.js file in this app\'s format, with the same labels, order and float32 values', async () => {
    const input = join(fixtures, 'valid/ml5-text-labels-object-tensors.json');
    const output = join(scratch, 'from-ml5.json');
    const result = await cli('convert', input, output);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /wrote .*from-ml5\.json: 3 classes, 6 examples of 8 numbers/);
    const written = JSON.parse(readFileSync(output, 'utf8'));
    assert.equal(written.format, 'teachable-knn-dataset');
    assert.equal(written.version, 1);
    assert.equal(written.model, null);
    assert.equal(written.dimension, 8);
    assert.deepEqual(written.classes.map((c) => [c.label, c.examples]), [['Rock', 3], ['Paper', 2], ['Scissors', 1]]);
    written.classes.forEach((c) => assert.match(c.color, /^#[0-9a-f]{6}$/));
    const source = JSON.parse(readFileSync(input, 'utf8'));
    source.tensors.forEach((tensor, j) => {
      const values = Object.keys(tensor).map((k) => Math.fround(tensor[k]));
      assert.deepEqual(floats(written.classes[j].vectors), values);
    });
    // Converting our own format again changes nothing, byte for byte.
    const again = join(scratch, 'again.json');
    assert.equal((await cli('convert', output, again)).code, 0);
    assert.equal(readFileSync(again, 'utf8'), readFileSync(output, 'utf8'));
  });

  it('writes compact files (float16, 8-bit, gzipped) that inspect and convert read back, close to the float32s', async () => {
    const input = join(fixtures, 'valid/ml5-text-labels-object-tensors.json');
    const exact = join(scratch, 'exact.json');
    assert.equal((await cli('convert', input, exact)).code, 0);
    const original = JSON.parse(readFileSync(exact, 'utf8')).classes.map((c) => floats(c.vectors));
    for (const [encoding, extra, name, tolerance] of [
      ['float16', [], 'half.json', 1e-3],
      ['int8', ['--gzip'], 'small.json.gz', 1e-2],
    ]) {
      const output = join(scratch, name);
      const written = await cli('convert', input, output, '--encoding', encoding, ...extra);
      assert.equal(written.code, 0, written.stderr);
      const inspected = await cli('inspect', output);
      assert.equal(inspected.code, 0, inspected.stderr);
      assert.match(inspected.stdout, encoding === 'int8' ? /compact \(8-bit vectors/ : /compact \(float16 vectors/);
      // Back to float32: the same classes, each number within the encoding's rounding of the original.
      const back = join(scratch, `${name}.float32.json`);
      assert.equal((await cli('convert', output, back)).code, 0);
      const file = JSON.parse(readFileSync(back, 'utf8'));
      assert.deepEqual(file.classes.map((c) => [c.label, c.examples]), [['Rock', 3], ['Paper', 2], ['Scissors', 1]]);
      file.classes.forEach((c, j) => floats(c.vectors).forEach((x, i) => assert.ok(Math.abs(x - original[j][i]) <= tolerance, `${encoding} ${j}/${i}: ${x} vs ${original[j][i]}`)));
    }
    assert.deepEqual([...readFileSync(join(scratch, 'small.json.gz')).subarray(0, 2)], [0x1f, 0x8b], 'gzip');
    const bad = await cli('convert', input, join(scratch, 'x.json'), '--encoding', 'float8');
    assertCleanFailure(bad, 2);
  });

  it('refuses a gzipped file that is cut short, saying so', async () => {
    const output = join(scratch, 'cut.json.gz');
    assert.equal((await cli('convert', join(fixtures, 'valid/label-map.json'), output)).code, 0);
    const cut = join(scratch, 'cut-short.json.gz');
    writeFileSync(cut, readFileSync(output).subarray(0, 30));
    const result = await cli('inspect', cut);
    assertCleanFailure(result);
    assert.match(result.stderr, /starts as gzip, but cannot be unpacked/);
  });

  it('names the model with --model when its dimension fits, and refuses one that does not, naming both', async () => {
    const map = join(scratch, 'map256.json');
    writeFileSync(map, JSON.stringify({ Rock: [Array.from({ length: 256 }, (_, i) => i / 256)] }));
    const output = join(scratch, 'map256-out.json');
    assert.equal((await cli('convert', map, output, '--model', 'mobilenet-v1-0.25')).code, 0);
    assert.equal(JSON.parse(readFileSync(output, 'utf8')).model, 'mobilenet-v1-0.25');
    const wrong = await cli('convert', map, join(scratch, 'x.json'), '--model', 'mobilenet-v2-0.35');
    assertCleanFailure(wrong);
    assert.match(wrong.stderr, /the vectors have 256 numbers each, but MobileNet V2 0\.35 makes 1280/);
    const unknown = await cli('convert', map, join(scratch, 'x.json'), '--model', 'resnet');
    assertCleanFailure(unknown);
    assert.match(unknown.stderr, /unknown model "resnet"/);
  });

  it('writes nothing from a hostile file, and leaves no temporary file when OUT cannot be written', async () => {
    const output = join(scratch, 'never.json');
    const result = await cli('convert', join(fixtures, 'hostile/nan-in-vectors.json'), output);
    assertCleanFailure(result);
    assert.match(result.stderr, /classes\[1\] "Paper", example 1, number 2: NaN is not a usable number/);
    assert.ok(!readdirSync(scratch).includes('never.json'));
    const unwritable = await cli('convert', join(fixtures, 'valid/label-map.json'), join(scratch, 'no/such/dir/out.json'));
    assertCleanFailure(unwritable);
    assert.match(unwritable.stderr, /cannot write .*out\.json/);
    assert.deepEqual(readdirSync(scratch).filter((f) => f.endsWith('.tmp')), []);
  });
});
