// The bench's Node-side browser helpers, on top of the eval harness's server (scripts/eval/harness.mjs) and the
// shared Chromium launcher (scripts/launch.mjs), which it reuses unchanged.
import { loadavg } from 'node:os';
import { openPage } from '../scripts/eval/harness.mjs';
import { FAKE_CAMERA_ARGS, launchBrowser } from '../scripts/launch.mjs';

export { FAKE_CAMERA_ARGS, launchBrowser };

/**
 * This machine has no GPU: recent Chromium only runs WebGL and WebGPU on its software GPU (SwiftShader) with these
 * flags. Without them WebGL fails and WebGPU has no adapter, so those backends could not be measured at all.
 */
export const CHROMIUM_BENCH_ARGS = ['--enable-unsafe-swiftshader', '--enable-unsafe-webgpu'];

/** A fresh bench page (bench/page/index.ts), once it has defined window.bench. */
export function openBenchPage(browser, url) {
  return openPage(browser, url, 'bench');
}

/** Samples the 1-minute load average every `everyMs` until stop(), which returns its min, median and max. */
export function loadSampler(everyMs = 5000) {
  const samples = [loadavg()[0]];
  const timer = setInterval(() => samples.push(loadavg()[0]), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0]);
      const sorted = [...samples].sort((a, b) => a - b);
      const round = (x) => Math.round(x * 100) / 100;
      return { min: round(sorted[0]), median: round(sorted[sorted.length >> 1]), max: round(sorted.at(-1)), samples: samples.length };
    },
  };
}

/**
 * One visit of the cached-start page (bench/page/start.ts) in a new browser on the Chromium profile `profileDir`:
 * a new process each time, as a person reopening the app, with the profile's IndexedDB, localStorage and HTTP cache.
 * Returns what the page noted when its first prediction was shown.
 */
export async function timeFirstPrediction(url, profileDir, timeoutMs = 180_000) {
  const browser = await launchBrowser([`--user-data-dir=${profileDir}`, ...FAKE_CAMERA_ARGS]);
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => process.stderr.write(`[start page error] ${error.message}\n`));
    await page.goto(url);
    await page.waitForFunction(() => window.benchStart, { timeout: timeoutMs, polling: 100 });
    return await page.evaluate(() => window.benchStart);
  } finally {
    await browser.close();
  }
}

/**
 * The page's JS heap in use after a full garbage collection, in bytes, over the DevTools protocol. (In-page
 * performance.memory after gc() swung by tens of MB between identical reads here; this does not.)
 */
export async function jsHeapBytes(page) {
  const session = await page.createCDPSession();
  try {
    await session.send('HeapProfiler.collectGarbage');
    const { usedSize } = await session.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await session.detach();
  }
}
