// What the production-build test drives: `vite build` into a temporary folder, the Vite preview server on it
// (the production headers: cross-origin isolation and the Content-Security-Policy; the model mirror), a
// proxy that every request to another origin goes through and is recorded by, and headless Chromium with a
// fake camera.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { FAKE_CAMERA_ARGS, launchBrowser } from '../../scripts/launch.mjs';
import { repoRoot } from '../../server/local-assets.mjs';

/** Builds the app as `npm run build` does (without the type check, which `npm run lint` makes). */
export async function buildApp() {
  const outDir = mkdtempSync(join(tmpdir(), 'teachable-built-'));
  await build({ root: repoRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

/** A free port on 127.0.0.1 (the preview server wants a fixed one). */
async function freePort() {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * `vite preview` of `outDir` with the model mirror `modelsDir`: the server config production copies.
 * Every request it receives is recorded in `requests` (paths).
 */
export async function startPreview(outDir, modelsDir) {
  process.env.MOBILENET_MODELS_DIR = modelsDir;
  const port = await freePort();
  const server = await preview({
    root: repoRoot,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  const requests = [];
  server.httpServer.on('request', (req) => requests.push(req.url));
  let closing = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => (closing ??= server.close()),
  };
}

/**
 * An HTTP proxy that refuses everything and records what was asked of it. Chromium sends it every request
 * except those to the loopback addresses (the app's own server), so anything here left for another origin.
 */
export async function startRefusingProxy() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req, socket) => {
    requests.push(`CONNECT ${req.url}`);
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * Headless Chromium with a fake camera, sending everything not for the loopback addresses to `proxyAddress`, on the
 * profile folder `userDataDir` (so that a browser started again after being killed finds what the last one stored).
 */
export function launchWithFakeCamera(proxyAddress, userDataDir) {
  return launchBrowser([
    `--user-data-dir=${userDataDir}`,
    ...FAKE_CAMERA_ARGS,
    `--proxy-server=http://${proxyAddress}`,
    '--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter',
    '--disable-domain-reliability',
    '--no-pings',
  ]);
}

/**
 * Records on `page`: requests (URLs), Content-Security-Policy violations (from the `securitypolicyviolation`
 * event and from the console, where Chromium reports them too), console errors and uncaught errors.
 */
export async function watchPage(page) {
  const seen = { requests: [], violations: [], errors: [] };
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.errors.push(`uncaught: ${error.message}`));
  const session = await page.createCDPSession();
  await session.send('Log.enable');
  session.on('Log.entryAdded', ({ entry }) => {
    if (entry.level === 'error') seen.errors.push(`${entry.source}: ${entry.text} ${entry.url ?? ''}`.trim());
  });
  await page.exposeFunction('reportViolation', (text) => seen.violations.push(text));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return seen;
}

/** Every request a service worker of `browser` makes, recorded from when it starts. */
export function watchServiceWorkers(browser) {
  const requests = [];
  browser.on('targetcreated', async (target) => {
    if (target.type() !== 'service_worker') return;
    try {
      const session = await target.createCDPSession();
      session.on('Network.requestWillBeSent', ({ request }) => requests.push(request.url));
      await session.send('Network.enable');
    } catch {
      // The worker stopped before it could be watched; the proxy still sees whatever it sent elsewhere.
    }
  });
  return requests;
}

/** Presses the record button of class `index` with the mouse; returns a function that releases it. */
export async function pressRecord(page, index) {
  const buttons = await page.$$('tm-app >>> tm-class-card >>> tm-record-button >>> button');
  await buttons[index].scrollIntoView();
  const box = await buttons[index].boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  return () => page.mouse.up();
}

/** The mirror the other real-model tests use, or null (the test then skips). */
export function modelsDirOrNull(sharedModelsDir) {
  return existsSync(sharedModelsDir) && readdirSync(sharedModelsDir).length > 0 ? sharedModelsDir : null;
}

/** Answers yes to the question an import asks before it changes anything (polled: it appears inside shadow roots). */
export async function confirmImport(page) {
  const confirm = () => document.querySelector('tm-app').shadowRoot.querySelector('tm-confirm-bar').shadowRoot.querySelector('button.primary');
  const button = await page.waitForFunction(confirm, { timeout: 60_000, polling: 100 });
  await button.evaluate((b) => b.click());
}
