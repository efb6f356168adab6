// "App at scale", storage rows: the production build (vite build, served by `vite preview` as production is, in
// headless Chromium with a fake camera and the real default MobileNet) holding N examples recorded the way people
// record them: holding a class's button, so runs of near-copies of real frames. For each N it reports
//   - reload to the saved counts shown, and to the first prediction with them; the longest task meanwhile;
//   - "Export examples" (float32 and compact) and "Import" (replacing) of those N: time, longest task, file size;
// and, once, how much of a recording a browser killed with the button held loses (no pagehide, no close journal).
//
// Also runnable alone:  node bench/app-scale-storage.mjs [--ns 10000,50000] [--json FILE] [--trace DIR]
// With --trace, each reload, export and import is traced (Chromium's trace with CPU samples, one file per step in DIR)
// and its long tasks are listed with the functions they ran (trace-tasks.mjs), under `traced` in the step's figures.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { main, parsePositiveInts, resolveModelsDir } from '../scripts/eval/harness.mjs';
import { captureDownloads, FAKE_CAMERA_ARGS, launchBrowser } from '../scripts/launch.mjs';
import { buildApp, confirmImport, pressRecord, startPreview } from '../test/built/session.mjs';
import { longTasks, TRACE_CATEGORIES } from './trace-tasks.mjs';

/** The export forms' names in the status line (src/dataset/export-formats.ts). */
const FORMAT_NAMES = { exact: 'exact', half: 'compact', small: 'smallest' };

/** How long after an import its autosave write is watched for long tasks. */
const AFTER_IMPORT_MS = 3000;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const say = (message) => process.stderr.write(`${message}\n`);

/** Long tasks of every document the page loads, from its start (the observer is installed before any script). */
function watchLongTasks() {
  window.benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.benchLongTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames (Chromium) name the scripts that ran in them, at no tracing cost: what a long task was.
  window.benchLongFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const scripts = entry.scripts.map((s) => ({ ms: Math.round(s.duration), what: `${s.invoker} ${s.sourceFunctionName || ''}`.trim() }));
        window.benchLongFrames.push({ start: entry.startTime, duration: entry.duration, scripts: scripts.sort((a, b) => b.ms - a.ms).slice(0, 3) });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Not in this browser: the long task is reported without its scripts.
  }
}

async function launch(profile) {
  const browser = await launchBrowser([`--user-data-dir=${profile}`, ...FAKE_CAMERA_ARGS, '--js-flags=--max-old-space-size=4096']);
  const downloads = await captureDownloads(browser);
  const close = async () => {
    await browser.close().catch(() => undefined);
    downloads.remove();
  };
  return { browser, nextDownload: (timeout = 600_000) => downloads.next(timeout), close };
}

async function openApp(browser, url) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => say(`  [page error] ${error.message}`));
  await page.evaluateOnNewDocument(watchLongTasks);
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('tm-app')?.shadowRoot?.querySelector('tm-model-panel')?.shadowRoot?.textContent?.includes('is ready.'), {
    timeout: 180_000,
  });
  return page;
}

const totalExamples = (page) =>
  page.evaluate(() => {
    const { teachable } = document.querySelector('tm-app');
    return teachable.classes.reduce((sum, c) => sum + teachable.exampleCount(c.id), 0);
  });

/** The toolbar's status line once it matches `source` (a RegExp source), with the page's time then. */
async function statusMatching(page, source, timeout = 600_000) {
  const handle = await page.waitForFunction(
    (source) => {
      const status = (document.querySelector('tm-app')?.shadowRoot?.querySelector('tm-dataset-toolbar')?.shadowRoot?.querySelector('.status')?.textContent ?? '').trim();
      return new RegExp(source).test(status) ? { status, at: performance.now() } : null;
    },
    { timeout, polling: 20 },
    source,
  );
  return handle.jsonValue();
}

const longestTask = (page, from, to) =>
  page.evaluate(
    (from, to) => window.benchLongTasks.filter((t) => t.start + t.duration >= from && t.start <= to).reduce((max, t) => Math.max(max, t.duration), 0),
    from,
    to,
  );

/** The scripts of the longest animation frame between `from` and `to` (page times), longest first. */
const longestFrameScripts = (page, from, to) =>
  page.evaluate(
    (from, to) => {
      const frames = (window.benchLongFrames ?? []).filter((f) => f.start + f.duration >= from && f.start <= to);
      const longest = frames.reduce((max, f) => (!max || f.duration > max.duration ? f : max), null);
      return longest ? longest.scripts.map((s) => `${s.ms} ms ${s.what}`) : [];
    },
    from,
    to,
  );

/**
 * Kept frames per class at most: one per example up to 10,000 examples (1,000 a class), as recording keeps them. At
 * 50,000 this keeps a fifth of them: each with its frame, the exported file would hold some 480 MB of frames besides
 * its vectors, which this section does not try.
 */
const FRAMES_PER_CLASS = 1000;

/**
 * Replaces the app's classes with `n` held-button examples in 10 classes: runs of 50 rows (2.5 s at 20 fps), each
 * run a real embedding the app recorded from the camera plus 1% noise, kept non-negative (a real embedding, after
 * ReLU, has no negative number), scaled to unit length, each with that recorded frame (FRAMES_PER_CLASS). Then waits
 * until autosave has written them all (and the k-NN's space fitted over them).
 */
async function fillHeldButtonExamples(page, n) {
  for (const index of [0, 1]) {
    const release = await pressRecord(page, index);
    await sleep(1500);
    await release();
  }
  await page.evaluate(async (n, framesPerClass) => {
    const { teachable } = document.querySelector('tm-app');
    const model = teachable.embedder.spec.id;
    const dimension = teachable.embedder.spec.embeddingDim;
    const recorded = [];
    const thumbnails = [];
    for (const c of teachable.classes) {
      const rows = await teachable.readExamples(model, c.id);
      for (let r = 0; r < rows.length / dimension; r++) recorded.push(rows.subarray(r * dimension, (r + 1) * dimension));
      thumbnails.push(...teachable.keptThumbnails(model, c.id));
    }
    let seed = 12345;
    const uniform = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) + 0.5) / 2 ** 32;
    const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const classes = [];
    const perClass = n / 10;
    for (let c = 0; c < 10; c++) {
      const vectors = new Float32Array(perClass * dimension);
      for (let r = 0; r < perClass; r++) {
        const base = recorded[(c * 7 + Math.floor(r / 50)) % recorded.length];
        const row = vectors.subarray(r * dimension, (r + 1) * dimension);
        const sigma = 0.01 / Math.sqrt(dimension);
        let squares = 0;
        for (let i = 0; i < dimension; i++) {
          row[i] = Math.max(0, base[i] + sigma * gaussian());
          squares += row[i] * row[i];
        }
        const scale = 1 / Math.sqrt(squares);
        for (let i = 0; i < dimension; i++) row[i] *= scale;
      }
      // Each example keeps its frame, as recording keeps it (the frame of the recorded row it is made from), up to
      // FRAMES_PER_CLASS: 10,000 examples then read back 96 MB of frames, as a user's 10,000 recorded ones do.
      const frames = Array.from({ length: Math.min(perClass, framesPerClass) }, (_, r) => thumbnails[(c * 7 + Math.floor(r / 50)) % thumbnails.length]);
      classes.push({ label: `Held ${c + 1}`, color: null, vectors, thumbnails: frames });
    }
    teachable.importDataset({ model, dimension, classes }, { mode: 'replace' });
  }, n, FRAMES_PER_CLASS);
  // Autosave writes the import in the background: wait until IndexedDB holds every row.
  await page.waitForFunction(
    async (n) => {
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('teachable-knn');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        const chunks = await new Promise((resolve, reject) => {
          const request = db.transaction('vectors').objectStore('vectors').getAllKeys();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (chunks.length < Math.ceil(n / 10 / 64) * 10) return false;
        // Where autosave keeps the k-NN's fitted space (schema 3 on), wait for the fit of these examples too.
        if (!db.objectStoreNames.contains('fits')) return true;
        const fits = await new Promise((resolve, reject) => {
          const request = db.transaction('fits').objectStore('fits').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        return fits.some((record) => Array.isArray(record.fit?.counts) && record.fit.counts.reduce((a, b) => a + b, 0) === n);
      } finally {
        db.close();
      }
    },
    { timeout: 600_000, polling: 1000 },
    n,
  );
  await sleep(1000);
}

/** Reloads the page; ms from navigation to the N examples counted, and to the first prediction with them. */
async function timeReload(page, n) {
  await page.reload({ waitUntil: 'domcontentloaded' });
  const shown = await (
    await page.waitForFunction(
      (n) => {
        const teachable = document.querySelector('tm-app')?.teachable;
        if (!teachable) return null;
        return teachable.classes.reduce((sum, c) => sum + teachable.exampleCount(c.id), 0) === n ? performance.now() : null;
      },
      { timeout: 600_000, polling: 20 },
      n,
    )
  ).jsonValue();
  const predicted = await (
    await page.waitForFunction(
      () => {
        const bars = document.querySelector('tm-app').shadowRoot.querySelector('tm-mode-bars')?.shadowRoot?.querySelector('tm-confidence-bars');
        return bars?.topClassId ? performance.now() : null;
      },
      { timeout: 600_000, polling: 20 },
    )
  ).jsonValue();
  await sleep(500);
  return {
    counts_shown_ms: shown,
    first_prediction_ms: predicted,
    longest_task_ms: await longestTask(page, 0, predicted + 500),
    longest_frame_scripts: await longestFrameScripts(page, 0, predicted + 500),
  };
}

/** "Export examples" in `format` (an option of the export select; the app's default when there is no select). */
async function timeExport(page, nextDownload, format) {
  const select = await page.$('tm-app >>> tm-dataset-toolbar >>> select[name="export-format"]');
  if (select) await select.select(format);
  else if (format !== 'exact') return null;
  const download = nextDownload();
  const from = await page.evaluate(() => performance.now());
  await clickToolbarButton(page, 'Export examples');
  // With a form chosen, the status names it, so the line an earlier export left is not taken for this one's.
  const done = await statusMatching(page, select ? `^Exported .*\\(${FORMAT_NAMES[format]}|^Export failed` : '^Exported|^Export failed');
  if (!done.status.startsWith('Exported')) return { error: done.status.slice(0, 300) };
  const file = await download;
  await sleep(300);
  return {
    ms: done.at - from,
    longest_task_ms: await longestTask(page, from, done.at),
    longest_frame_scripts: await longestFrameScripts(page, from, done.at),
    file_bytes: statSync(file).size,
    file,
  };
}

async function clickToolbarButton(page, text) {
  for (const button of await page.$$('tm-app >>> tm-dataset-toolbar >>> button')) {
    if ((await button.evaluate((b) => b.textContent.trim())) === text) return button.click();
  }
  throw new Error(`no "${text}" button`);
}

async function timeImport(page, file) {
  // (Builds before the export formats had one select only.)
  const mode = (await page.$('tm-app >>> tm-dataset-toolbar >>> select[name="import-mode"]')) ?? (await page.$('tm-app >>> tm-dataset-toolbar >>> select'));
  await mode.select('replace');
  const from = await page.evaluate(() => performance.now());
  await (await page.$('tm-app >>> tm-dataset-toolbar >>> input[type="file"]')).uploadFile(file);
  // Builds with an import preview ask first.
  if (await page.$('tm-app >>> tm-confirm-bar')) await confirmImport(page);
  // The status names the file, so the line an earlier import left is not taken for this one's.
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const done = await statusMatching(page, `^Imported .* from ${name}\\.|^${name} was not imported`);
  // Autosave writes the imported examples a quarter second later: its tasks count too.
  await sleep(AFTER_IMPORT_MS);
  if (!done.status.startsWith('Imported')) return { error: done.status.slice(0, 300) };
  return {
    ms: done.at - from,
    longest_task_ms: await longestTask(page, from, done.at),
    longest_task_with_autosave_ms: await longestTask(page, from, done.at + AFTER_IMPORT_MS),
    longest_frame_scripts: await longestFrameScripts(page, from, done.at + AFTER_IMPORT_MS),
  };
}

/** Runs `body` under a Chromium trace written to `dir` when a dir is given, adding its long tasks to the result. */
async function traced(page, dir, name, body) {
  if (!dir) return body();
  const path = join(dir, `${name}.json`);
  await page.tracing.start({ path, categories: TRACE_CATEGORIES });
  let result;
  try {
    result = await body();
  } finally {
    const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
    const tasks = longTasks(trace);
    writeFileSync(join(dir, `${name}.tasks.json`), `${JSON.stringify(tasks, null, 2)}\n`);
    if (result && typeof result === 'object') result.traced = tasks.map((t) => ({ ms: t.ms, top: t.total.slice(0, 4) }));
  }
  return result;
}

async function measureSize(url, n, traceDir) {
  const profile = mkdtempSync(join(tmpdir(), 'teachable-bench-scale-'));
  const session = await launch(profile);
  const row = { n };
  const attempt = async (name, body) => {
    try {
      row[name] = await body();
    } catch (error) {
      row[name] = { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
    }
    say(`  N=${n} ${name}: ${JSON.stringify(row[name])}`);
  };
  try {
    const page = await openApp(session.browser, url);
    await fillHeldButtonExamples(page, n);
    await attempt('reload', () => traced(page, traceDir, `reload-${n}`, () => timeReload(page, n)));
    // The same page with nothing asked of it: the frame path's own longest task (predicting over N examples), which
    // any step's window also holds.
    await attempt('idle', async () => {
      const from = await page.evaluate(() => performance.now());
      await sleep(3000);
      return { ms: 3000, longest_task_ms: await longestTask(page, from, from + 3000), longest_frame_scripts: await longestFrameScripts(page, from, from + 3000) };
    });
    const files = {};
    for (const format of ['exact', 'half', 'small']) {
      await attempt(format === 'exact' ? 'export' : `export_${format}`, async () => {
        const result = await traced(page, traceDir, `export-${format}-${n}`, () => timeExport(page, session.nextDownload, format));
        if (!result || !result.file) return result;
        files[format] = result.file;
        delete result.file;
        return result;
      });
    }
    if (files.exact) await attempt('import', () => traced(page, traceDir, `import-${n}`, () => timeImport(page, files.exact)));
    if (files.small) await attempt('import_small', () => traced(page, traceDir, `import-small-${n}`, () => timeImport(page, files.small)));
  } finally {
    await session.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return row;
}

/**
 * Holds a class's button for `holdMs`, kills the browser (SIGKILL: no pagehide, no journal), starts it again on
 * the same profile and counts what came back. Seconds lost: examples missing over the recording's frame rate.
 */
async function measureKill(url, holdMs = 3000) {
  const profile = mkdtempSync(join(tmpdir(), 'teachable-bench-kill-'));
  try {
    let session = await launch(profile);
    let page = await openApp(session.browser, url);
    const before = await totalExamples(page);
    const startedAt = Date.now();
    await pressRecord(page, 0);
    await sleep(holdMs);
    const held = await totalExamples(page);
    const framesPerSecond = (held - before) / ((Date.now() - startedAt) / 1000);
    session.browser.process().kill('SIGKILL');
    await session.close();
    session = await launch(profile);
    try {
      page = await openApp(session.browser, url);
      const status = await statusMatching(page, 'are back|nothing was saved|Not saved', 60_000).catch(() => ({ status: '(no status)' }));
      const restored = await totalExamples(page);
      return { held, restored, frames_per_second: framesPerSecond, lost_seconds: Math.max(0, held - restored) / framesPerSecond, status: status.status };
    } finally {
      await session.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The section: builds the app once, then each N in a fresh profile, then the kill run (`kills` times). */
export async function measureAppScaleStorage(modelsDir, plan) {
  const built = await buildApp();
  const server = await startPreview(built.outDir, modelsDir);
  try {
    const rows = [];
    for (const n of plan.ns) rows.push(await measureSize(server.url, n, plan.traceDir));
    const kills = [];
    for (let i = 0; i < plan.kills; i++) {
      const kill = await measureKill(server.url);
      say(`  killed mid-recording: ${JSON.stringify(kill)}`);
      kills.push(kill);
    }
    return { rows, kills };
  } finally {
    await server.close();
    built.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main('app-scale-storage', async () => {
    const { values } = parseArgs({ options: { ns: { type: 'string', default: '10000' }, kills: { type: 'string', default: '1' }, json: { type: 'string' }, trace: { type: 'string' } } });
    const result = await measureAppScaleStorage(resolveModelsDir(), { ns: parsePositiveInts(values.ns, '--ns'), kills: Number(values.kills), traceDir: values.trace });
    const text = `${JSON.stringify(result, null, 2)}\n`;
    process.stdout.write(text);
    if (values.json) (await import('node:fs')).writeFileSync(values.json, text);
  });
}
