// The production build, served as production should serve it (`vite preview`: COOP/COEP and the
// Content-Security-Policy), in headless Chromium with a fake camera and the real default MobileNet from
// ../shared/models. One session, in order: load under the policy, record, predict, evaluate, export, import
// (also a file with markup in its label and name), close the page right after a recording and while one is
// still going, kill the browser while one is going, start again with no network; every request the browser makes
// is recorded throughout.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contentSecurityPolicy, MODEL_ORIGINS } from '../../server/content-security-policy.mjs';
import { modelsDirFromEnv, sharedModelsDir } from '../../server/local-assets.mjs';
import {
  buildApp,
  confirmImport,
  launchWithFakeCamera,
  modelsDirOrNull,
  pressRecord,
  startPreview,
  startRefusingProxy,
  watchPage,
  watchServiceWorkers,
} from './session.mjs';
import { captureDownloads } from '../../scripts/launch.mjs';

const modelsDir = modelsDirFromEnv() ?? modelsDirOrNull(sharedModelsDir);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Hosts Chromium itself contacts (component updates, account checks) with nothing but about:blank open, as
 * measured with this launch: the browser's doing, not the app's. Anything else at the proxy fails the test.
 */
const BROWSER_OWN_HOSTS = new Set(['update.googleapis.com', 'accounts.google.com']);

const HOSTILE_LABEL = '<img src=x onerror="window.pwned=1">';
const HOSTILE_FILE_NAME = '<img src=x onerror=window.pwned=2>.json';

describe('the production build in Chromium', { skip: modelsDir ? false : `it needs the MobileNets, and there is no MOBILENET_MODELS_DIR and nothing at ${sharedModelsDir}` }, () => {
  let built;
  let server;
  let proxy;
  let browser;
  let downloads;
  let serviceWorkerRequests;
  let profile;
  /** What every page of the session saw (requests, policy violations, errors). */
  const watched = [];

  before(async () => {
    built = await buildApp();
    server = await startPreview(built.outDir, modelsDir);
    proxy = await startRefusingProxy();
    profile = mkdtempSync(join(tmpdir(), 'teachable-built-profile-'));
    browser = await launchWithFakeCamera(proxy.address, profile);
    serviceWorkerRequests = [watchServiceWorkers(browser)];
    downloads = await captureDownloads(browser);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await proxy?.close();
    downloads?.remove();
    built?.remove();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens the app in a new page and waits until its model is ready (and, with `restored`, the saved classes are back). */
  async function openApp({ offline = false, restored = false } = {}) {
    const page = await browser.newPage();
    watched.push(await watchPage(page));
    if (offline) await page.setOfflineMode(true);
    await page.goto(server.url);
    await page.waitForFunction(
      () => document.querySelector('tm-app')?.shadowRoot?.querySelector('tm-model-panel')?.shadowRoot?.textContent?.includes('is ready.'),
      { timeout: 120_000 },
    );
    // The model can be ready before the saved examples are back: counting earlier would see an empty app. A
    // page closed a moment ago can still hold the turn to save: this one then waits, and loads what it saved.
    if (restored) await toolbarStatus(page, / are back|its saved classes are loaded here/);
    return page;
  }

  /** The URLs of `page`'s workers whose script's name holds `name`, once there is one (or after 20 s, none). */
  async function workersOf(page, name) {
    for (let tries = 0; tries < 100; tries++) {
      const urls = page.workers().map((w) => w.url()).filter((url) => url.includes(name));
      if (urls.length > 0) return urls;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return [];
  }

  const exampleCounts = (page) =>
    page.evaluate(() => {
      const app = document.querySelector('tm-app');
      return app.teachable.classes.map((c) => app.teachable.exampleCount(c.id));
    });

  const backendText = (page) => page.$eval('tm-app >>> tm-model-panel >>> p.backend', (p) => p.textContent.trim());

  async function record(page, index, ms) {
    const release = await pressRecord(page, index);
    await sleep(ms);
    await release();
  }

  /** Waits for the toolbar's status line to contain `text` (a string or a RegExp), and returns it. */
  async function toolbarStatus(page, text) {
    const wanted = text instanceof RegExp ? { source: text.source } : { text };
    const handle = await page.waitForFunction(
      ({ source, text }) => {
        const toolbar = document.querySelector('tm-app').shadowRoot.querySelector('tm-dataset-toolbar');
        const status = toolbar.shadowRoot.querySelector('.status')?.textContent ?? '';
        return (source ? new RegExp(source).test(status) : status.includes(text)) && status.trim();
      },
      { timeout: 30_000 },
      wanted,
    );
    return handle.jsonValue();
  }

  async function clickToolbarButton(page, text) {
    const buttons = await page.$$('tm-app >>> tm-dataset-toolbar >>> button');
    for (const button of buttons) {
      if ((await button.evaluate((b) => b.textContent.trim())) === text) return button.click();
    }
    throw new Error(`no "${text}" button`);
  }

  async function importFile(page, file, mode) {
    await (await page.$('tm-app >>> tm-dataset-toolbar >>> select[name="import-mode"]')).select(mode);
    await (await page.$('tm-app >>> tm-dataset-toolbar >>> input[type="file"]')).uploadFile(file);
    // The page says what the import will do and waits for a yes.
    await confirmImport(page);
  }

  let page;

  it('sends the Content-Security-Policy as a header and writes it into the built index.html', async () => {
    const response = await fetch(server.url);
    assert.equal(response.headers.get('content-security-policy'), contentSecurityPolicy());
    assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const policy = response.headers.get('content-security-policy');
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
    const html = readFileSync(join(built.outDir, 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta, 'index.html has no policy <meta>');
    assert.equal(meta[1].replaceAll('&#39;', "'"), contentSecurityPolicy({ forMeta: true }));
    assert.ok(html.indexOf('http-equiv="Content-Security-Policy"') < html.indexOf('<script'), 'the policy comes after a script');
  });

  it('starts under the policy: cross-origin isolated, wasm with SIMD and threads, the model loaded', async () => {
    page = await openApp();
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await backendText(page), 'Running on wasm (SIMD, threads)');
    // The service worker has cached this version of the app.
    assert.equal(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active !== null)), true);
  });

  it('records two classes and predicts', async () => {
    await record(page, 0, 1500);
    await record(page, 1, 1500);
    const counts = await exampleCounts(page);
    assert.ok(counts.every((n) => n > 0), `examples per class: ${counts}`);
    await page.waitForFunction(
      () => document.querySelector('tm-app').shadowRoot.querySelector('tm-mode-bars').shadowRoot.querySelector('tm-confidence-bars').topClassId !== null,
      { timeout: 20_000 },
    );
    // Once the recording stops, the "none of these" calibration runs in the analysis worker, a script of the build.
    const analysis = await workersOf(page, 'analysis-worker');
    assert.equal(analysis.length, 1, `workers: ${page.workers().map((w) => w.url())}`);
    assert.ok(analysis[0].startsWith(server.url), analysis[0]);
    // The k-NN store's scan worker shares the store's memory (the page is cross-origin isolated).
    const scan = page.workers().map((w) => w.url()).filter((url) => url.includes('scan-worker'));
    assert.equal(scan.length, 1, `workers: ${page.workers().map((w) => w.url())}`);
    assert.ok(scan[0].startsWith(server.url), scan[0]);
    assert.equal(await page.evaluate(() => document.querySelector('tm-app').teachable.parallelScan), true);
    // A store this small is scored on the page: no vote worker is started for it.
    assert.equal(await page.evaluate(() => document.querySelector('tm-app').teachable.votesInWorker), false);
    assert.ok(!page.workers().some((w) => w.url().includes('vote-worker')), `workers: ${page.workers().map((w) => w.url())}`);
    // Autosave puts the space fitted after the recording in its worker, a script of the build.
    const autosave = await workersOf(page, 'put-worker');
    assert.equal(autosave.length, 1, `workers: ${page.workers().map((w) => w.url())}`);
    assert.ok(autosave[0].startsWith(server.url), autosave[0]);
  });

  it('trains the dense head in its worker, from the app\'s own files under the policy, and predicts with it', async () => {
    const buttons = await page.$$('tm-app >>> tm-dense-panel >>> button');
    let train = null;
    for (const button of buttons) if ((await button.evaluate((b) => b.textContent.trim())) === 'Train') train = button;
    assert.ok(train, 'no Train button');
    await train.scrollIntoView();
    await train.click();
    await page.waitForFunction(
      () => document.querySelector('tm-app').shadowRoot.querySelector('tm-dense-panel').shadowRoot.textContent.includes('Trained on'),
      { timeout: 60_000 },
    );
    // The worker that trained is kept for the next training: a script of the build, from the app's origin.
    const workers = page.workers().map((w) => w.url()).filter((url) => url.includes('dense-head-worker'));
    assert.equal(workers.length, 1, `workers: ${page.workers().map((w) => w.url())}`);
    assert.ok(workers[0].startsWith(server.url), workers[0]);
    // The policy let the worker compile its WebAssembly kernels (else it would have trained, slowly, in JavaScript).
    assert.equal(await page.evaluate(() => document.querySelector('tm-app').dense.trainer.head.trainedWith), 'wasm-simd');
    await page.evaluate(() => (document.querySelector('tm-app').teachable.classifierMode = 'both'));
    await page.waitForFunction(
      () => document.querySelector('tm-app').shadowRoot.querySelector('tm-mode-bars').dense?.classId != null,
      { timeout: 20_000 },
    );
  });

  it('evaluates on held-out examples when Evaluate is pressed, the confusion matrix shaded under the policy', async () => {
    const counts = await exampleCounts(page);
    const button = await page.$('tm-app >>> tm-evaluation-panel >>> button');
    assert.equal(await button.evaluate((b) => b.textContent.trim()), 'Evaluate');
    await button.click();
    const handle = await page.waitForFunction(
      () => {
        const panel = document.querySelector('tm-app').shadowRoot.querySelector('tm-evaluation-panel');
        const knn = panel.shadowRoot.querySelector('section[data-mode="knn"]');
        const overall = knn?.querySelector('.overall')?.textContent;
        if (panel.busy || !overall) return null;
        const cells = (row) => [...row.querySelectorAll('td')].map((td) => ({ count: Number(td.textContent), share: td.style.getPropertyValue('--share') }));
        return {
          overall: overall.replace(/\s+/g, ' ').trim(),
          perClass: [...knn.querySelectorAll('table.per-class tbody tr')].map((tr) => Number(tr.querySelector('td').textContent)),
          matrix: [...knn.querySelectorAll('table.matrix tbody tr')].map(cells),
          dense: panel.shadowRoot.querySelector('section[data-mode="dense"] .overall')?.textContent.replace(/\s+/g, ' ').trim() ?? null,
          button: panel.shadowRoot.querySelector('button').textContent.trim(),
        };
      },
      { timeout: 60_000 },
    );
    const result = await handle.jsonValue();
    const total = counts.reduce((a, b) => a + b, 0);
    const overall = /^Accuracy: (\d+)% \((\d+) of (\d+)\)$/.exec(result.overall);
    assert.ok(overall, result.overall);
    assert.equal(Number(overall[3]), total, 'every example is held out once');
    assert.deepEqual(result.perClass, counts);
    assert.equal(result.matrix.length, 2);
    result.matrix.forEach((row, i) => {
      assert.equal(row.reduce((sum, cell) => sum + cell.count, 0), counts[i]);
      // The shading is set through CSSOM: a style attribute would be refused (and reported) under the policy.
      row.forEach((cell) => assert.equal(cell.share, `${Math.round((45 * cell.count) / counts[i])}%`));
    });
    // The head trained above is measured on the examples it held out.
    assert.match(result.dense ?? '', /^Accuracy: \d+% \(\d+ of \d+\)$/);
    assert.equal(result.button, 'Evaluate again');
  });

  let exported;

  it('exports the examples to a file and imports them back', async () => {
    const before = await exampleCounts(page);
    const download = downloads.next();
    await clickToolbarButton(page, 'Export examples');
    exported = await download;
    const file = JSON.parse(readFileSync(exported, 'utf8'));
    assert.equal(file.classes.length, 2);
    await importFile(page, exported, 'replace');
    const total = before.reduce((a, b) => a + b, 0);
    await toolbarStatus(page, `Imported ${total} examples`);
    assert.deepEqual(await exampleCounts(page), before);
  });

  it("exports for knn-classifier, imports that file back, and predicts with knn-classifier's own vote", async () => {
    const before = await exampleCounts(page);
    const download = downloads.next();
    await clickToolbarButton(page, 'Export for knn-classifier');
    const file = JSON.parse(readFileSync(await download, 'utf8'));
    assert.deepEqual(file.map(([, numbers, [rows, dim]]) => [rows, numbers.length / dim]), before.map((n) => [n, n]));
    await importFile(page, await download, 'replace');
    await toolbarStatus(page, `Imported ${before.reduce((a, b) => a + b, 0)} examples`);
    assert.deepEqual(await exampleCounts(page), before);
    const shares = await page.evaluate(async () => {
      const app = document.querySelector('tm-app');
      const radios = [...app.shadowRoot.querySelector('tm-vote-settings').shadowRoot.querySelectorAll('input[type="radio"]')];
      radios.find((r) => r.parentElement.textContent.includes('knn-classifier')).click();
      const frames = [];
      await new Promise((resolve) => {
        const listener = (e) => {
          frames.push(e.detail.confidences.map((c) => c.raw * app.teachable.voteOptions.k));
          if (frames.length < 5) return;
          app.removeEventListener('tm-prediction', listener);
          resolve();
        };
        app.addEventListener('tm-prediction', listener);
      });
      radios[0].click();
      return frames;
    });
    // knn-classifier's confidences are each class's share of the k nearest examples' votes.
    for (const frame of shares) frame.forEach((votes) => assert.ok(Math.abs(votes - Math.round(votes)) < 1e-6, `${frame}`));
  });

  it('shows markup in a label and a file name as text, creating no element', async () => {
    const dataset = JSON.parse(readFileSync(exported, 'utf8'));
    dataset.classes[0].label = HOSTILE_LABEL;
    const hostileFile = join(downloads.dir, HOSTILE_FILE_NAME);
    writeFileSync(hostileFile, JSON.stringify(dataset));
    await importFile(page, hostileFile, 'merge');
    // Waiting for "Imported" alone could read the status of the import before. Were the name parsed as markup, the
    // status's text would not hold it, and this would time out.
    const status = await toolbarStatus(page, `from ${HOSTILE_FILE_NAME}`);
    assert.match(status, /^Imported \d+ examples from /);
    const found = await page.evaluate((label) => {
      const elements = [];
      const walk = (root) => {
        for (const element of root.querySelectorAll('*')) {
          elements.push(element);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      const cards = elements.filter((e) => e.localName === 'tm-class-card');
      return {
        handlers: elements.filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).map((e) => e.outerHTML),
        imagesAtX: elements.filter((e) => e.localName === 'img' && e.getAttribute('src') === 'x').length,
        labelAsText: cards.some((card) => card.label === label && card.shadowRoot.querySelector('input').value === label),
        pwned: 'pwned' in window,
      };
    }, HOSTILE_LABEL);
    assert.deepEqual(found, { handlers: [], imagesAtX: 0, labelAsText: true, pwned: false });
    assert.ok(!server.requests.some((url) => url.startsWith('/x')), 'something asked for the image at x');
  });

  // Chromium drops the IndexedDB writes a closing page has not finished, even committing ones (about 1 close
  // in 5 here): what was recorded comes back through autosave's close journal (src/storage/close-journal.ts).
  it('keeps everything recorded up to the release when the page is closed right after it', async (t) => {
    const release = await pressRecord(page, 0);
    await sleep(1500);
    await release();
    const atRelease = await exampleCounts(page);
    // What autosave last said (a "Not saved" here explains a loss below).
    const status = await page.$eval('tm-app >>> tm-dataset-toolbar', (toolbar) => toolbar.shadowRoot.querySelector('.status')?.textContent.trim());
    await page.close({ runBeforeUnload: true });
    page = await openApp({ restored: true });
    const restored = await exampleCounts(page);
    t.diagnostic(`examples at the release ${atRelease}, after reopening ${restored} (status line: ${status})`);
    atRelease.forEach((n, i) => assert.ok(restored[i] >= n, `class ${i + 1}: ${restored[i]} of ${n} examples came back`));
  });

  it('loses at most the last second of frames when the page is closed with the button held', async (t) => {
    const [start] = await exampleCounts(page);
    const startedAt = Date.now();
    await pressRecord(page, 0);
    await sleep(2000);
    const [held] = await exampleCounts(page);
    const framesPerSecond = (held - start) / ((Date.now() - startedAt) / 1000);
    await page.close({ runBeforeUnload: true });
    page = await openApp({ restored: true });
    const [restored] = await exampleCounts(page);
    const lostSeconds = Math.max(0, held - restored) / framesPerSecond;
    t.diagnostic(
      `held: ${held} examples (${framesPerSecond.toFixed(1)} frames/s), after reopening ${restored}: ${lostSeconds.toFixed(2)} s lost`,
    );
    assert.ok(held > start, 'nothing was recorded');
    assert.ok(lostSeconds <= 1, `${held - restored} examples lost, ${lostSeconds.toFixed(2)} s of recording`);
  });

  // A killed browser runs no pagehide, so no close journal: what autosave had committed is all there is. It writes a
  // quarter second after a change, and every quarter second while recording.
  it('loses at most half a second of recording when the browser is killed with the button held, and says what came back', async (t) => {
    const [start] = await exampleCounts(page);
    const startedAt = Date.now();
    await pressRecord(page, 0);
    await sleep(2500);
    const [held] = await exampleCounts(page);
    const framesPerSecond = (held - start) / ((Date.now() - startedAt) / 1000);
    const exited = once(browser.process(), 'exit');
    browser.process().kill('SIGKILL');
    await exited;
    browser = await launchWithFakeCamera(proxy.address, profile);
    serviceWorkerRequests.push(watchServiceWorkers(browser));
    page = await openApp({ restored: true });
    const counts = await exampleCounts(page);
    const [restored] = counts;
    const status = await toolbarStatus(page, / are back/);
    const lostSeconds = Math.max(0, held - restored) / framesPerSecond;
    t.diagnostic(`held: ${held} examples (${framesPerSecond.toFixed(1)} frames/s), after the kill ${restored}: ${lostSeconds.toFixed(2)} s lost`);
    assert.ok(held > start, 'nothing was recorded');
    assert.ok(lostSeconds <= 0.5, `${held - restored} examples lost, ${lostSeconds.toFixed(2)} s of recording`);
    assert.equal(status, `${counts.reduce((a, b) => a + b, 0).toLocaleString('en')} examples in ${counts.length} classes are back.`);
  });

  it('starts with no network after the first visit, cross-origin isolated, and records and predicts', async () => {
    const counts = await exampleCounts(page);
    await page.close();
    await server.close();
    page = await openApp({ offline: true, restored: true });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    assert.equal(await backendText(page), 'Running on wasm (SIMD, threads)');
    assert.deepEqual(await exampleCounts(page), counts);
    await record(page, 1, 1000);
    assert.ok((await exampleCounts(page))[1] > counts[1], 'nothing recorded offline');
    await page.waitForFunction(
      () => document.querySelector('tm-app').shadowRoot.querySelector('tm-mode-bars').shadowRoot.querySelector('tm-confidence-bars').topClassId !== null,
      { timeout: 20_000 },
    );
  });

  it("scores a store of 16,384 examples in the vote worker, a script of the app's own, offline too", async () => {
    const origin = await page.evaluate(() => location.origin);
    const examples = await page.evaluate(async () => {
      const app = document.querySelector('tm-app');
      // Two classes of 8,192 post-ReLU-like random rows, zeros in different places (what matters is their number).
      const classes = [0, 1].map((c) => {
        const vectors = new Float32Array(8192 * 1280);
        let seed = 12345 + c;
        for (let i = 0; i < vectors.length; i++) {
          seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
          vectors[i] = ((i % 1280) + c) % 3 === 0 ? 0 : (seed >>> 8) / 2 ** 24;
        }
        return { label: `Many ${c + 1}`, color: null, vectors, thumbnails: [] };
      });
      app.teachable.importDataset({ model: 'mobilenet-v2-0.35', dimension: 1280, classes }, { mode: 'replace' });
      await app.teachable.settled();
      return app.teachable.classes.reduce((n, c) => n + app.teachable.exampleCount(c.id), 0);
    });
    assert.equal(examples, 16_384);
    await page.waitForFunction(() => document.querySelector('tm-app').teachable.votesInWorker, { timeout: 60_000 });
    const urls = page.workers().map((w) => w.url()).filter((url) => url.includes('vote-worker'));
    assert.equal(urls.length, 1, `workers: ${page.workers().map((w) => w.url())}`);
    assert.ok(urls[0].startsWith(origin), urls[0]);
    // The bars show confidences for the new classes (random rows: the camera's frames may well be "none of these").
    await page.waitForFunction(
      () => {
        const { bars } = document.querySelector('tm-app').shadowRoot.querySelector('tm-mode-bars').shadowRoot.querySelector('tm-confidence-bars');
        return bars.length === 2 && bars.every((b) => b.label.startsWith('Many')) && bars.reduce((sum, b) => sum + b.confidence, 0) > 0.9;
      },
      { timeout: 20_000 },
    );
  });

  it('broke no policy rule and logged no error on any page', () => {
    for (const seen of watched) {
      assert.deepEqual(seen.violations, []);
      assert.deepEqual(seen.errors, []);
    }
  });

  it("asked nothing of any origin but the app's own", () => {
    const origin = new URL(server.url).origin;
    const network = (url) => /^https?:/.test(url);
    const appRequests = [...watched.flatMap((seen) => seen.requests), ...serviceWorkerRequests.flat()].filter(network);
    assert.ok(appRequests.length > 0);
    assert.deepEqual(appRequests.filter((url) => new URL(url).origin !== origin), []);
    // Everything the browser sent anywhere else went through the proxy.
    const elsewhere = proxy.requests.filter((line) => {
      const target = line.split(' ')[1];
      const host = target.includes('://') ? new URL(target).hostname : target.split(':')[0];
      return !BROWSER_OWN_HOSTS.has(host);
    });
    assert.deepEqual(elsewhere, []);
    // The model hosts the policy allows were not needed: the mirror is on the app's origin.
    assert.ok(!proxy.requests.some((line) => MODEL_ORIGINS.some((o) => line.includes(new URL(o).hostname))));
  });
});
