// The production build (`vite preview`: COOP/COEP and the Content-Security-Policy) in headless Firefox (the system's
// firefox-esr, or FIREFOX_PATH) over WebDriver BiDi, with Firefox's fake camera and the real default MobileNet from
// ../shared/models: load under the policy, record two classes, predict, reopen with the examples restored, start
// again with no server. Every other origin is behind a refusing proxy. What this does not repeat from
// built-app.test.mjs needs the DevTools protocol (downloads, service worker requests, the browser log), which
// Firefox does not speak.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MODEL_ORIGINS } from '../../server/content-security-policy.mjs';
import { modelsDirFromEnv, sharedModelsDir } from '../../server/local-assets.mjs';
import { launchFirefox } from '../firefox.mjs';
import { buildApp, modelsDirOrNull, startPreview, startRefusingProxy } from './session.mjs';

const modelsDir = modelsDirFromEnv() ?? modelsDirOrNull(sharedModelsDir);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Firefox with its fake camera, sending everything not for the loopback addresses to the proxy at `port`. */
function launchWithProxy(port) {
  return launchFirefox({
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': port,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': port,
  });
}

describe('the production build in Firefox', { skip: modelsDir ? false : `it needs the MobileNets, and there is no MOBILENET_MODELS_DIR and nothing at ${sharedModelsDir}` }, () => {
  let built;
  let server;
  let proxy;
  let browser;
  /** What every page saw: requests, policy violations, console errors and uncaught errors. */
  const watched = [];

  before(async () => {
    built = await buildApp();
    server = await startPreview(built.outDir, modelsDir);
    proxy = await startRefusingProxy();
    browser = await launchWithProxy(Number(proxy.address.split(':')[1]));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await proxy?.close();
    built?.remove();
  });

  async function watch(page) {
    const seen = { requests: [], violations: [], errors: [] };
    page.on('request', (request) => seen.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => seen.errors.push(`uncaught: ${error.message}`));
    await page.exposeFunction('reportViolation', (text) => seen.violations.push(text));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
      });
    });
    watched.push(seen);
  }

  async function openApp({ restored = false } = {}) {
    const page = await browser.newPage();
    await watch(page);
    await page.goto(server.url);
    await page.waitForFunction(
      () => document.querySelector('tm-app')?.shadowRoot?.querySelector('tm-model-panel')?.shadowRoot?.textContent?.includes('is ready.'),
      { timeout: 180_000 },
    );
    if (restored) {
      await page.waitForFunction(
        () => / are back|its saved classes are loaded here/.test(document.querySelector('tm-app').shadowRoot.querySelector('tm-dataset-toolbar').shadowRoot.querySelector('.status')?.textContent ?? ''),
        { timeout: 30_000 },
      );
    }
    return page;
  }

  const exampleCounts = (page) =>
    page.evaluate(() => {
      const app = document.querySelector('tm-app');
      return app.teachable.classes.map((c) => app.teachable.exampleCount(c.id));
    });

  async function record(page, index, ms) {
    const buttons = await page.$$('tm-app >>> tm-class-card >>> tm-record-button >>> button');
    await buttons[index].scrollIntoView();
    const box = await buttons[index].boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await sleep(ms);
    await page.mouse.up();
  }

  const topClassShown = (page) =>
    page.waitForFunction(
      () => document.querySelector('tm-app').shadowRoot.querySelector('tm-mode-bars').shadowRoot.querySelector('tm-confidence-bars').topClassId !== null,
      { timeout: 30_000 },
    );

  let page;

  it('starts under the policy: cross-origin isolated, wasm with SIMD and threads, the model loaded', async () => {
    page = await openApp();
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const backend = await page.$eval('tm-app >>> tm-model-panel >>> p.backend', (p) => p.textContent.trim());
    assert.equal(backend, 'Running on wasm (SIMD, threads)');
    assert.equal(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active !== null)), true);
  });

  it("records two classes from Firefox's camera and predicts, the k-NN store scanning on two threads", async () => {
    await record(page, 0, 2000);
    await record(page, 1, 2000);
    const counts = await exampleCounts(page);
    assert.ok(counts.every((n) => n > 0), `examples per class: ${counts}`);
    await topClassShown(page);
    assert.equal(await page.evaluate(() => document.querySelector('tm-app').teachable.parallelScan), true);
  });

  it('reopens with the examples saved', async () => {
    const counts = await exampleCounts(page);
    await page.close();
    page = await openApp({ restored: true });
    assert.deepEqual(await exampleCounts(page), counts);
  });

  it('starts from its service worker once the server is gone, and records and predicts', async () => {
    const counts = await exampleCounts(page);
    await page.close();
    await server.close();
    page = await openApp({ restored: true });
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await record(page, 1, 1500);
    assert.ok((await exampleCounts(page))[1] > counts[1], 'nothing recorded without the server');
    await topClassShown(page);
  });

  it('broke no policy rule and logged no error on any page', () => {
    for (const seen of watched) {
      assert.deepEqual(seen.violations, []);
      assert.deepEqual(seen.errors, []);
    }
  });

  it("asked nothing of any origin but the app's own", (t) => {
    const origin = new URL(server.url).origin;
    const appRequests = watched.flatMap((seen) => seen.requests).filter((url) => /^https?:/.test(url));
    assert.ok(appRequests.length > 0);
    assert.deepEqual(appRequests.filter((url) => new URL(url).origin !== origin), []);
    // Firefox's own background requests go through the proxy too; none is for a model host.
    t.diagnostic(`the proxy saw: ${[...new Set(proxy.requests)].join('; ') || 'nothing'}`);
    assert.ok(!proxy.requests.some((line) => MODEL_ORIGINS.some((o) => line.includes(new URL(o).hostname))));
  });
});
