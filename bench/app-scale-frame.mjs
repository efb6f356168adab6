// "App at scale", the frame part: the production build (vite build, served by vite preview with its production
// headers) in Chromium with the fake camera, holding N examples of held-button runs (bench/page/distributions.ts,
// imported through the app's own Teachable.importDataset), predicting on every camera frame. Per N it reports the
// app's own frame time (what its model panel shows), the main thread's busy time per frame (a DevTools trace), the
// longest task while predicting and after a recording (the store's background refit), and click-to-paint.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../scripts/eval/harness.mjs';
import { buildApp, startPreview } from '../test/built/session.mjs';
import { FAKE_CAMERA_ARGS, launchBrowser } from './browser.mjs';
import { cacheDir, CORPUS_DATASET, CORPUS_MODEL } from './corpus.mjs';
import { median } from './report.mjs';

/** Photos per class the held-button runs start from (the page is sent these, not the whole corpus). */
const BASES_PER_CLASS = 40;

/** The real embeddings' first rows per class, as the page's Corpus shape wants them (base64 rows), or null. */
function corpusForPage() {
  const base = join(cacheDir, `${CORPUS_DATASET}--${CORPUS_MODEL}`);
  if (!existsSync(`${base}.json`)) return null;
  const header = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  const all = readFileSync(`${base}.f32`);
  const rowBytes = header.dim * 4;
  let at = 0;
  const classes = header.classes.map(({ label, count }) => {
    const rows = all.subarray(at * rowBytes, (at + Math.min(count, BASES_PER_CLASS)) * rowBytes);
    at += count;
    return { label, stored: rows.toString('base64') };
  });
  return { dim: header.dim, name: header.name, classes };
}

/** bench/page/distributions.ts as a script that defines `benchData` (evaluated over DevTools, so the app's CSP is untouched). */
async function distributionsScript() {
  const result = await esbuild.build({
    entryPoints: [join(repoRoot, 'bench/page/distributions.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'benchData',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** The deepest-first search through shadow roots the page functions below use. */
const DEEP_QUERY = `window.deepQuery = (selector, root = document) => {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const inner = window.deepQuery(selector, el.shadowRoot);
      if (inner) return inner;
    }
  }
  return null;
};`;

/** Waits until the app has shown a frame time (the model is loaded and predicting). */
async function waitForPredictions(page) {
  await page.waitForFunction(() => window.deepQuery('tm-model-panel')?.shadowRoot?.textContent?.includes('is ready.'), { timeout: 180_000, polling: 200 });
  return page.evaluate(() => window.deepQuery('tm-model-panel').backend);
}

/** Replaces the app's classes with `n` held-button examples in `classes` classes; resolves once its store has settled. */
async function importHeld(page, n, classes, corpus) {
  return page.evaluate(
    async (job) => {
      const decode = (b64) => new Float32Array(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
      const corpus = job.corpus && {
        dim: job.corpus.dim,
        name: job.corpus.name,
        classes: job.corpus.classes.map((c) => ({ label: c.label, stored: decode(c.stored), heldOut: new Float32Array(0) })),
      };
      const { rows } = window.benchData.storeData('held', job.n, job.classes, 1280, corpus);
      const app = document.querySelector('tm-app');
      const started = performance.now();
      app.teachable.importDataset(
        { model: 'mobilenet-v2-0.35', dimension: 1280, classes: rows.map((vectors, c) => ({ label: `Class ${c + 1}`, color: null, vectors, thumbnails: [] })) },
        { mode: 'replace' },
      );
      await app.teachable.settled();
      const import_ms = performance.now() - started;
      // The "none of these" calibration the import made stale reads every example (in steps): at 50,000 examples
      // longer than a fixed wait, so it is brought up to date before predicting is timed.
      await app.teachable.recalibrate();
      return { import_ms, examples: app.teachable.classes.reduce((s, c) => s + app.teachable.exampleCount(c.id), 0) };
    },
    { n, classes, corpus },
  );
}

/** Starts collecting, in the page, the app's frame times and long tasks; `stopWindow` returns them. */
async function startWindow(page) {
  await page.evaluate(() => {
    // The prediction loop's own timing of its last step, which the model panel shows as the frame time.
    const loop = document.querySelector('tm-app').loop;
    const seen = { frames: [], longTasks: [], running: true };
    let last = loop.lastStepMs;
    // Read on each frame's own event, once the loop has timed it (its step resolves after the event): a
    // requestAnimationFrame poll here would make the page render at the display's rate, three times the camera's,
    // and the main thread's figure below would count that rendering as the app's.
    const read = () => {
      if (!seen.running || loop.lastStepMs === last) return;
      last = loop.lastStepMs;
      seen.frames.push(last);
    };
    const onPrediction = () => setTimeout(read, 0);
    document.querySelector('tm-app').addEventListener('tm-prediction', onPrediction);
    seen.stopReading = () => document.querySelector('tm-app').removeEventListener('tm-prediction', onPrediction);
    seen.observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.longTasks.push(e.duration)));
    seen.observer.observe({ type: 'longtask' });
    window.benchWindow = seen;
  });
}

async function stopWindow(page) {
  return page.evaluate(() => {
    const seen = window.benchWindow;
    seen.running = false;
    seen.stopReading();
    seen.observer.disconnect();
    return { frames: seen.frames, longTasks: seen.longTasks };
  });
}

/** The renderer main thread's busy time (top-level tasks) in a DevTools trace of `seconds`, and how many frames ran. */
async function tracedBusyMs(page, seconds) {
  await page.tracing.start({ categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
  const before = await page.evaluate(() => window.benchWindow.frames.length);
  await new Promise((done) => setTimeout(done, seconds * 1000));
  const after = await page.evaluate(() => window.benchWindow.frames.length);
  const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString('utf8'));
  const events = trace.traceEvents ?? trace;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const busy = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'X' && e.name === 'RunTask' && mains.has(key)) busy.set(key, (busy.get(key) ?? 0) + e.dur / 1000);
  }
  const busiest = Math.max(0, ...busy.values());
  const frames = after - before;
  return { busy_ms_per_frame: frames > 0 ? busiest / frames : null, busy_fraction: busiest / (seconds * 1000), traced_frames: frames };
}

/** Clicks "Show raw values" `count` times, each time timing from the click's input event to the next paint. */
async function clickToPaint(page, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const box = await page.evaluate(() => {
      const box = window.deepQuery('tm-prediction-settings input[type="checkbox"]') ?? window.deepQuery('input[type="checkbox"]');
      box.scrollIntoView({ block: 'center' });
      const rect = box.getBoundingClientRect();
      window.benchClick = new Promise((resolve) => {
        box.addEventListener(
          'click',
          (event) => {
            // The next frame's callbacks run before its paint, the task after them once it is painted.
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - event.timeStamp), 0));
          },
          { once: true },
        );
      });
      return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    });
    await page.mouse.click(box.x, box.y);
    // A click that lands on something else (a layout change) never fires the box's listener: give up on it after 5 s.
    const time = await page.evaluate(() => Promise.race([window.benchClick, new Promise((done) => setTimeout(() => done(null), 5000))]));
    if (time === null) throw new Error('the click on "Show raw values" did not reach it');
    times.push(time);
    await new Promise((done) => setTimeout(done, 300));
  }
  return times;
}

/** Holds the first class's record button for `ms` (its card's own events), then watches `afterMs` for long tasks (the refit). */
async function recordThenWatch(page, ms, afterMs) {
  return page.evaluate(
    async ({ ms, afterMs }) => {
      const card = window.deepQuery('tm-class-card');
      const send = (type) => card.dispatchEvent(new CustomEvent(type, { detail: { classId: card.classId }, bubbles: true, composed: true }));
      const longTasks = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      observer.observe({ type: 'longtask' });
      const app = document.querySelector('tm-app');
      const before = app.teachable.exampleCount(card.classId);
      send('tm-record-start');
      await new Promise((done) => setTimeout(done, ms));
      send('tm-record-end');
      await new Promise((done) => setTimeout(done, afterMs));
      observer.disconnect();
      return { recorded: app.teachable.exampleCount(card.classId) - before, longest_task_ms: Math.max(0, ...longTasks), long_tasks: longTasks.length };
    },
    { ms, afterMs },
  );
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null;
};

/** One N in a fresh browser context (its own IndexedDB: nothing saved by another N is loaded). */
async function measureAt(browser, url, n, plan, corpus, script, say) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => say(`  [app page error] ${error.message}`));
  try {
    await page.goto(url);
    await page.evaluate(DEEP_QUERY);
    await page.evaluate(script);
    const backend = await waitForPredictions(page);
    const imported = await importHeld(page, n, plan.classes, corpus);
    // Whatever else the import set going (saving) finishes before predicting is timed.
    await new Promise((done) => setTimeout(done, plan.settleSeconds * 1000));
    await startWindow(page);
    await new Promise((done) => setTimeout(done, plan.seconds * 1000));
    const busy = await tracedBusyMs(page, plan.traceSeconds);
    const clicks = await clickToPaint(page, plan.clicks);
    const window = await stopWindow(page);
    // Where the app embedded the frames: in its worker (src/pipeline/frame-embedding.ts) or on the page.
    const embeddedIn = await page.evaluate(() => {
      const app = document.querySelector('tm-app');
      return app.frames.embedding?.stateFor(app.teachable.embedder) ?? 'page';
    });
    const recording = await recordThenWatch(page, plan.recordMs, plan.afterRecordMs);
    const result = {
      n,
      backend,
      embedded_in: embeddedIn,
      examples: imported.examples,
      import_ms: imported.import_ms,
      frame_ms: median(window.frames),
      frame_p95_ms: pct(window.frames, 0.95),
      frames: window.frames.length,
      ...busy,
      longest_task_ms: Math.max(0, ...window.longTasks),
      long_tasks: window.longTasks.length,
      click_to_paint_ms: median(clicks),
      click_to_paint_max_ms: Math.max(...clicks),
      clicks: clicks.length,
      after_recording_longest_task_ms: recording.longest_task_ms,
      after_recording_long_tasks: recording.long_tasks,
      recorded: recording.recorded,
    };
    say(
      `  N=${n}: frames embedded in the ${embeddedIn}, frame ${result.frame_ms?.toFixed(1)} ms (p95 ${result.frame_p95_ms?.toFixed(1)}), main thread ${result.busy_ms_per_frame?.toFixed(1)} ms a frame, ` +
        `longest task ${result.longest_task_ms.toFixed(0)} ms, click to paint ${result.click_to_paint_ms.toFixed(1)} ms (max ${result.click_to_paint_max_ms.toFixed(1)}), ` +
        `after recording ${recording.recorded}: longest task ${recording.longest_task_ms.toFixed(0)} ms`,
    );
    return result;
  } finally {
    await context.close();
  }
}

/** Every N of `plan.ns`, against the first (the 100-example frame time the targets compare with). */
export async function measureAppScaleFrame(modelsDir, plan, say) {
  const built = await buildApp();
  const server = await startPreview(built.outDir, modelsDir);
  // As a visitor's browser: no flags but the fake camera's (the app picks its backend as it would there).
  const browser = await launchBrowser(FAKE_CAMERA_ARGS);
  const corpus = corpusForPage();
  if (!corpus) say('  no cached real embeddings (bench/.cache): the held-button runs start from random rows');
  try {
    const script = await distributionsScript();
    const rows = [];
    for (const n of plan.ns) {
      try {
        rows.push(await measureAt(browser, server.url, n, plan, corpus, script, say));
      } catch (error) {
        say(`  app at scale N=${n}: ${error instanceof Error ? error.message : String(error)}`);
        rows.push({ n, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const reference = rows.find((r) => r.n === plan.ns[0] && !r.error);
    return { data: corpus ? 'held' : 'held (from random rows)', classes: plan.classes, reference_n: plan.ns[0], reference_frame_ms: reference?.frame_ms ?? null, rows };
  } finally {
    await browser.close();
    await server.close();
    built.remove();
  }
}
