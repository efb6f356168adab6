// `npm run predict` embeds real photos as the browser app does: the same files embedded in headless Chromium by the
// app's own path (test/node/predict-embeddings-page.ts) and by the command line in Node agree to cosine 0.999.
// npm run test:node (also part of npm test); skipped with a message where ../shared is absent.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dataUrl, openPage, startServer } from '../../scripts/eval/harness.mjs';
import { launchBrowser } from '../../scripts/launch.mjs';
import { datasetsDir, floats, missingSharedData, modelsDir, photos, predict, repoRoot, writeClassesFile } from './predict-helpers.mjs';
import { cosine } from '../../src/platform/cosine.mjs';

const missing = missingSharedData();
const scratch = mkdtempSync(join(tmpdir(), 'predict-embeddings-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Each dataset's size meets the 224 square differently: 100 x 100 is scaled up, 300 x 200 cropped then scaled up,
// 320 x 240 cropped then scaled down. (None where ../shared is absent: the suite is then skipped.)
const PHOTOS = missing
  ? []
  : [
      ...photos('sign-language-digits', ['3', '7'], 6),
      ...photos('rock-paper-scissors', ['rock', 'paper'], 6),
      ...photos('webcam-hand-gestures', ['left', 'palm'], 6),
    ];
const MODEL = 'mobilenet-v2-0.35';

async function browserEmbeddings() {
  const server = await startServer(join(repoRoot, 'test/node/predict-embeddings-page.ts'), modelsDir, { photos: datasetsDir });
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, server.url, 'embedPhotos');
    const urls = PHOTOS.map((p) => dataUrl('photos', `${p.dataset}/${p.className}`, p.file));
    const result = await page.evaluate((job) => window.embedPhotos(job), { model: MODEL, urls });
    if ('error' in result) throw new Error(result.error);
    return result.map(floats);
  } finally {
    await browser.close();
    await server.close();
  }
}

describe('npm run predict embeddings', { skip: missing ? `skipped: ${missing}` : false }, () => {
  it('agree with the browser app\'s on real photos (cosine >= 0.999)', async () => {
    const classes = join(scratch, 'classes.json');
    writeClassesFile(classes, MODEL, 1280, { a: [Array.from({ length: 1280 }, (_, i) => (i % 7) + 1)], b: [Array.from({ length: 1280 }, (_, i) => (i % 5) + 1)] });
    const [inBrowser, cli] = await Promise.all([browserEmbeddings(), predict(['--classes', classes, '--json', '--embeddings', ...PHOTOS.map((p) => p.path)])]);
    assert.equal(cli.code, 0, cli.stderr);
    const lines = cli.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(lines.length, PHOTOS.length);
    const cosines = lines.map((line, i) => {
      assert.equal(line.file, PHOTOS[i].path);
      return cosine(floats(line.embedding), inBrowser[i]);
    });
    const sorted = [...cosines].sort((a, b) => a - b);
    console.log(`cosine of the CLI's embeddings to the browser's, ${cosines.length} photos: min ${sorted[0].toFixed(5)}, median ${sorted[sorted.length >> 1].toFixed(5)}`);
    cosines.forEach((c, i) => assert.ok(c >= 0.999, `${PHOTOS[i].path}: cosine ${c.toFixed(5)}`));
  });
});
