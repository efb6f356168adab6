// "Export as a web page": the zip the app's own code makes (src/web-page/web-page-zip.ts) for a classes file taught
// from real webcam photos (../shared/datasets/webcam-hand-gestures) with the real default MobileNet, unzipped and
// served as a static host serves it, with and without the cross-origin isolation headers, and driven in headless
// Chromium with a fake camera playing real photos. Each frame's confidences must equal the app's (its Teachable,
// bundled into the page by this test) on the same frame. Without the zip's wasm binaries the page still predicts.
// Skips without ../shared.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, test } from 'node:test';
import * as esbuild from 'esbuild';
import { launchBrowser } from '../../scripts/launch.mjs';
import { repoRoot, sharedDatasetsDir, sharedModelsDir } from '../../server/local-assets.mjs';
import { buildElementBundle, exportedZip, serveFolder, teachClasses, unzipTo } from '../../scripts/web-page/page-kit.mjs';

const DATASET = join(sharedDatasetsDir, 'webcam-hand-gestures');
const CLASSES = ['up', 'left', 'palm'];
const TRAIN = 10;
const have = existsSync(DATASET) && existsSync(sharedModelsDir);

/** Installed before the page's own scripts: a camera that is a canvas showing one photo, kept repainted. */
function fakeCamera() {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  let photo = null;
  const paint = () => photo && canvas.getContext('2d').drawImage(photo, 0, 0, 640, 480);
  setInterval(paint, 30);
  window.fakeCamera = {
    canvas,
    async show(url) {
      const image = new Image();
      image.src = url;
      await image.decode();
      photo = image;
      paint();
    },
  };
  navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(30);
}

let scratch;
let site;
let reference;
const testPhotos = [];

before(async () => {
  if (!have) return;
  scratch = await mkdtemp(join(tmpdir(), 'tm-web-page-'));
  const bundleFile = await buildElementBundle(join(scratch, 'bundle'));
  const classesFile = join(scratch, 'classes.json');
  await teachClasses(classesFile, DATASET, CLASSES, TRAIN);
  const zip = await exportedZip({ classesFile, bundleFile, modelsDir: sharedModelsDir });
  site = await unzipTo(zip, join(scratch, 'site'));
  const built = await esbuild.build({
    entryPoints: [join(repoRoot, 'test/node/web-page/app-reference.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  reference = built.outputFiles[0].text;
  const files = (await readFile(join(DATASET, 'frames.csv'), 'utf8')).split('\n').slice(1).map((l) => l.split(',')[0]);
  for (const name of CLASSES) {
    const file = files.filter((f) => f.startsWith(`${name}/`)).sort()[TRAIN + 1];
    testPhotos.push({ name, url: `data:image/jpeg;base64,${(await readFile(join(DATASET, file))).toString('base64')}` });
  }
});

after(async () => {
  if (scratch) if (!process.env.KEEP_SCRATCH) await rm(scratch, { recursive: true, force: true });
});

test('the zip holds the page, the runtime bundle, its wasm binaries, the classes and the model, and nothing else', { skip: !have && 'needs ../shared' }, async () => {
  const files = (await readdir(site, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(site.length + 1)).sort();
  assert.deepEqual(files, [
    'classes.json',
    'index.html',
    'models/mobilenet_v2_0.35_224_tm_features/model.json',
    'models/mobilenet_v2_0.35_224_tm_features/weights.bin',
    'tfjs-wasm/tfjs-backend-wasm-simd.wasm',
    'tfjs-wasm/tfjs-backend-wasm.wasm',
    'tm-classifier.js',
  ]);
  assert.match(await readFile(join(site, 'index.html'), 'utf8'), /<tm-classifier src="\.\/classes\.json" model-base-url="\.\/models\/" wasm-base-url="\.\/tfjs-wasm\/" camera/);
  assert.match(await readFile(join(site, 'index.html'), 'utf8'), /<link rel="preload" href="\.\/models\/mobilenet_v2_0\.35_224_tm_features\/weights\.bin" as="fetch" crossorigin="anonymous" \/>/);
});

for (const isolated of [true, false]) {
  test(`served ${isolated ? 'with' : 'without'} COOP/COEP, the page predicts each camera frame as the app does`, { skip: !have && 'needs ../shared', timeout: 300_000 }, async () => {
    const server = await serveFolder(site, { isolated });
    const browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.evaluateOnNewDocument(fakeCamera);
      await page.goto(server.url, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelector('tm-classifier')?.status === 'ready', { timeout: 120_000, polling: 100 });
      assert.equal(await page.evaluate(() => window.crossOriginIsolated), isolated);
      // It embeds on the wasm backend, from the zip's binary (SIMD: Chromium has it).
      const wasmFetched = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.wasm')));
      assert.deepEqual(wasmFetched, ['/tfjs-wasm/tfjs-backend-wasm-simd.wasm']);
      // The files the page preloads are fetched once: the element is handed the preloaded responses.
      const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname));
      for (const file of ['/classes.json', '/models/mobilenet_v2_0.35_224_tm_features/model.json', '/models/mobilenet_v2_0.35_224_tm_features/weights.bin']) {
        assert.equal(fetched.filter((path) => path === file).length, 1, `${file} fetched once`);
      }
      // The app, in a tab of its own on the same host (two copies of TensorFlow.js cannot share a page: they share
      // one engine), with a camera canvas painted the same way.
      const appPage = await browser.newPage();
      await appPage.goto(`${server.url}app-reference`);
      await appPage.evaluate(fakeCamera);
      await appPage.addScriptTag({ content: reference });
      await appPage.evaluate(() => window.appReference.load('./classes.json', './models/'));
      for (const { name, url } of testPhotos) {
        await page.evaluate((u) => window.fakeCamera.show(u), url);
        await appPage.evaluate((u) => window.fakeCamera.show(u), url);
        await appPage.bringToFront();
        const app = await appPage.evaluate(() => window.appReference.classify(window.fakeCamera.canvas));
        // A tab behind another gets no animation or video frames.
        await page.bringToFront();
        // Frames of the photo before may still be in flight: wait for a few of this one.
        const ours = await page.evaluate(async () => {
          const element = document.querySelector('tm-classifier');
          for (let seen = 0; seen < 4; seen++) {
            await new Promise((done, fail) => {
              element.addEventListener('tm-prediction', done, { once: true });
              setTimeout(() => fail(new Error('no prediction for 20 s')), 20_000);
            });
          }
          return element.latest;
        });
        assert.equal(ours.rawClassId, app.label, `the raw class of a ${name} photo`);
        for (const { label, raw } of ours.confidences) {
          assert.ok(Math.abs(raw - app.confidences[label]) < 1e-3, `${label} on a ${name} photo: page ${raw}, app ${app.confidences[label]} (${app.backend})`);
        }
      }
      const top = await page.evaluate(() => document.querySelector('#top').value);
      assert.ok(CLASSES.includes(top), `the page names the top class (${top})`);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
}

test("without its wasm binaries, the page still predicts, on TensorFlow.js's default backend", { skip: !have && 'needs ../shared', timeout: 300_000 }, async () => {
  const bare = join(scratch, 'site-without-wasm');
  await cp(site, bare, { recursive: true, filter: (path) => !path.includes(`${sep}tfjs-wasm`) });
  const server = await serveFolder(bare, { isolated: false });
  const browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.evaluateOnNewDocument(fakeCamera);
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    await page.evaluate((u) => window.fakeCamera.show(u), testPhotos[0].url);
    const first = await page.evaluate(
      () =>
        new Promise((done, fail) => {
          document.querySelector('tm-classifier').addEventListener('tm-prediction', (event) => done(event.detail), { once: true });
          setTimeout(() => fail(new Error('no prediction for 120 s')), 120_000);
        }),
    );
    assert.deepEqual(first.confidences.map((c) => c.classId).sort(), [...CLASSES].sort());
    assert.equal(await page.evaluate(() => document.querySelector('tm-classifier').status), 'ready');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
