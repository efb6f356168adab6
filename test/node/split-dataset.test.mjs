// npm run split, run as users run it, on a folder of empty placeholder images (the split only reads names).
// npm run test:node (also part of npm test).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'split-dataset-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function split(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'scripts/split-dataset.mjs'), ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** A `<class>/<image>` folder with `perClass` images in each of `classes`. */
function source(name, classes, perClass) {
  const dir = join(scratch, name);
  for (const c of classes) {
    mkdirSync(join(dir, c), { recursive: true });
    for (let i = 0; i < perClass; i++) writeFileSync(join(dir, c, `img${i}.jpg`), '');
  }
  return dir;
}

/** {class: [files]} of one side of a split, or {} when the side does not exist. */
function side(out, name) {
  const dir = join(out, name);
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).sort().map((c) => [c, readdirSync(join(dir, c)).sort()]));
}

describe('npm run split -- --unknown-classes', () => {
  const classes = ['a', 'b', 'c', 'd', 'e', 'f'];
  const src = source('six', classes, 10);

  it('holds half the classes out: their test side becomes unknown/, their train side is dropped', async () => {
    const plain = join(scratch, 'plain');
    const held = join(scratch, 'held');
    assert.equal((await split(src, plain, '--random', '--seed', '4')).code, 0);
    const result = await split(src, held, '--random', '--seed', '4', '--unknown-classes', '0.5', '--class-seed', '2');
    assert.equal(result.code, 0, result.stderr);
    const unknown = side(held, 'unknown');
    const taught = Object.keys(side(held, 'train'));
    assert.equal(Object.keys(unknown).length, 3);
    assert.deepEqual([...taught, ...Object.keys(unknown)].sort(), classes, 'every class is either taught or unknown');
    assert.deepEqual(Object.keys(side(held, 'test')), taught);
    // The taught classes are split exactly as without the option, and unknown images are the test side's.
    for (const c of taught) {
      assert.deepEqual(side(held, 'train')[c], side(plain, 'train')[c]);
      assert.deepEqual(side(held, 'test')[c], side(plain, 'test')[c]);
    }
    for (const c of Object.keys(unknown)) assert.deepEqual(unknown[c], side(plain, 'test')[c]);
    assert.match(result.stdout, /held out as unknown/);
  });

  it('picks the held-out classes by --class-seed, and keeps at least 2 classes to teach', async () => {
    const picks = new Set();
    for (const seed of ['1', '2', '3', '5']) {
      const out = join(scratch, `seed-${seed}`);
      assert.equal((await split(src, out, '--random', '--unknown-classes', '0.5', '--class-seed', seed)).code, 0);
      picks.add(Object.keys(side(out, 'unknown')).join(','));
    }
    assert.ok(picks.size > 1, 'different seeds hold out different classes');
    const out = join(scratch, 'most');
    assert.equal((await split(src, out, '--random', '--unknown-classes', '0.9')).code, 0);
    assert.equal(Object.keys(side(out, 'train')).length, 2);
    const two = await split(source('two', ['a', 'b'], 4), join(scratch, 'two-out'), '--unknown-classes', '0.5');
    assert.equal(two.code, 1);
    assert.match(two.stderr, /at least 3 classes/);
  });
});
