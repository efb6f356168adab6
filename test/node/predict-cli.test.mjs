// `npm run predict`, run as users run it (node scripts/predict.mjs): classes taught from real photos, used on
// other real photos, and every kind of bad input refused with one clear line and a non-zero exit.
// npm run test:node (also part of npm test); the tests that need ../shared skip with a message where it is absent.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { missingSharedData, modelsDir, photos, predict, repoRoot, writeClassesFile } from './predict-helpers.mjs';

const missing = missingSharedData();
const needsShared = { skip: missing ? `skipped: ${missing}` : false };
const scratch = mkdtempSync(join(tmpdir(), 'predict-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function assertCleanFailure(result, pattern, code = 1) {
  assert.equal(result.code, code, `exit code (stdout: ${result.stdout}, stderr: ${result.stderr})`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /\b[A-Z][a-zA-Z]*Error\b/, 'no error class names');
}

/** `<dir>/<class>/<photo>` links to photos `from`..`from + count` (by name) of each class of rock-paper-scissors. */
function rpsFolder(name, from, count) {
  const dir = join(scratch, name);
  for (const className of ['paper', 'rock', 'scissors']) {
    mkdirSync(join(dir, className), { recursive: true });
    for (const p of photos('rock-paper-scissors', [className], from + count).slice(from)) symlinkSync(p.path, join(dir, className, p.file));
  }
  return dir;
}

/** A PNG declaring width x height, with a few bytes of pixel data: enough for a decoder to read its size. */
function pngHeader(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
}

describe('npm run predict on real photos', needsShared, () => {
  let classes;
  before(async () => {
    classes = join(scratch, 'rps-classes.json');
    const taught = await predict(['--teach', '--out', classes, rpsFolder('train', 0, 8)]);
    assert.equal(taught.code, 0, taught.stderr);
  });

  it('prints one line per image, then accuracy and a confusion matrix with --labelled', async () => {
    const result = await predict(['--classes', classes, '--labelled', rpsFolder('test', 100, 10)]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const predictions = lines.filter((line) => line.split('\t').length >= 3);
    assert.equal(predictions.length, 30);
    for (const line of predictions) assert.match(line, /\.jpg\t(paper|rock|scissors)\t[01]\.\d{3}(\tunknown)?$/);
    const accuracy = /accuracy: ([\d.]+)% \((\d+) of 30 images\)/.exec(result.stdout);
    assert.ok(accuracy, result.stdout);
    console.log(`rock-paper-scissors, 8 examples per class, 30 other photos: ${accuracy[0]}`);
    assert.ok(Number(accuracy[1]) >= 80, `accuracy ${accuracy[1]}%`);
    assert.match(result.stdout, /^ +paper +rock +scissors$/m);
    assert.match(result.stdout, /^ +rock +\d+ +\d+ +\d+$/m);
  });

  it('writes JSON lines with --json, each class\'s confidence summing to 1', async () => {
    const [photo] = photos('rock-paper-scissors', ['rock'], 101).slice(100);
    const result = await predict(['--classes', classes, '--json', photo.path]);
    assert.equal(result.code, 0, result.stderr);
    const line = JSON.parse(result.stdout.trim());
    assert.equal(line.file, photo.path);
    assert.deepEqual(Object.keys(line.confidences).sort(), ['paper', 'rock', 'scissors']);
    assert.ok(Math.abs(Object.values(line.confidences).reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.equal(line.confidence, line.confidences[line.label]);
    assert.equal(typeof line.unknown, 'boolean');
  });

  it('reports an unreadable and a huge image, still classifies the others, and exits 1', async () => {
    const notImage = join(scratch, 'notes.jpg');
    writeFileSync(notImage, 'these are words, not pixels');
    const huge = join(scratch, 'huge.png');
    writeFileSync(huge, pngHeader(20_000, 20_000));
    const [good] = photos('rock-paper-scissors', ['paper'], 1);
    const result = await predict(['--classes', classes, notImage, good.path, huge]);
    assertCleanFailure(result, /notes\.jpg: this is not an image that can be read/);
    assert.match(result.stderr, /huge\.png: the image is 20000 x 20000 pixels \(400 megapixels\); the limit is 100 megapixels/);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    assert.match(result.stdout, /paper\.*|\t(paper|rock|scissors)\t/);
  });

  it('refuses classes made with another model than the one asked for', async () => {
    const result = await predict(['--classes', classes, '--model', 'mobilenet-v1-0.25', join(scratch, 'test')]);
    assertCleanFailure(result, /made with MobileNet V2 0\.35 \(mobilenet-v2-0\.35\), not MobileNet V1 0\.25/);
  });

  it('says which model file is missing or damaged', async () => {
    const damaged = join(scratch, 'models-damaged');
    const folder = 'mobilenet_v2_0.35_224_tm_features';
    mkdirSync(join(damaged, folder), { recursive: true });
    for (const file of readdirSync(join(modelsDir, folder))) copyFileSync(join(modelsDir, folder, file), join(damaged, folder, file));
    const weights = readdirSync(join(damaged, folder)).find((f) => f.endsWith('.bin'));
    writeFileSync(join(damaged, folder, weights), readFileSync(join(damaged, folder, weights)).subarray(0, 1000));
    const [photo] = photos('rock-paper-scissors', ['rock'], 1);
    assertCleanFailure(await predict(['--classes', classes, '--models-dir', damaged, photo.path]), /files of MobileNet V2 0\.35 .* are damaged/);
    rmSync(join(damaged, folder, 'model.json'));
    assertCleanFailure(await predict(['--classes', classes, '--models-dir', damaged, photo.path]), /MobileNet V2 0\.35 was not found at .*model\.json/);
  });
});

describe('npm run predict refuses bad input', () => {
  const anImage = join(repoRoot, 'docs/screenshot.png');
  const validClasses = join(scratch, 'valid.json');
  before(() => writeClassesFile(validClasses, 'mobilenet-v2-0.35', 1280, { a: [Array(1280).fill(1)] }));

  it('a missing classes file', async () => {
    assertCleanFailure(await predict(['--classes', join(scratch, 'nope.json'), anImage]), /nope\.json: no such file or directory/);
  });

  it('a truncated classes file', async () => {
    const truncated = join(scratch, 'truncated.json');
    writeFileSync(truncated, readFileSync(validClasses, 'utf8').slice(0, 300));
    assertCleanFailure(await predict(['--classes', truncated, anImage]), /truncated\.json: .*(not valid JSON|base64)/);
  });

  it('a hostile classes file', async () => {
    const hostile = join(repoRoot, 'test/fixtures/datasets/hostile/dimension-absurd.json');
    assertCleanFailure(await predict(['--classes', hostile, anImage]), /dimension-absurd\.json: .*dimension/);
  });

  it('a model folder that does not exist', async () => {
    assertCleanFailure(await predict(['--classes', validClasses, '--models-dir', join(scratch, 'no-models'), anImage]), /the model folder .*no-models does not exist/);
  });

  it('an empty folder, and a path that is nothing', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    assertCleanFailure(await predict(['--classes', validClasses, empty]), /empty holds no images/);
    assertCleanFailure(await predict(['--classes', validClasses, join(scratch, 'ghost.jpg')]), /ghost\.jpg: no such file or folder/);
  });

  it('bad arguments, with the usage and exit code 2', async () => {
    assertCleanFailure(await predict([anImage]), /--classes FILE is required/, 2);
    assertCleanFailure(await predict(['--classes', validClasses, '--frobnicate', anImage]), /unknown option --frobnicate/, 2);
    assertCleanFailure(await predict(['--classes', validClasses]), /no images given/, 2);
  });
});
