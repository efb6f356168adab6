// npm run soak -- [--minutes 30] [--warmup-minutes 1] [--json FILE] [--cycle-seconds 30] [--hold-seconds 5] [--predict-only]
// A long run outside `npm test`: the whole app predicting on Chromium's fake camera with the default model while a
// class is held for part of every cycle (--predict-only: held during the warm-up only, then predicting only). Once a
// minute it samples tf.memory() and the JS heap (after a forced garbage collection, over the DevTools protocol); at
// the end it writes a JSON report: tensor counts, heap start, end and slope (least squares over the samples), frame
// rate. Tensors must not grow (the exit code says so); the heap should stay flat.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { jsHeapBytes, loadSampler } from '../bench/browser.mjs';
import { FAKE_CAMERA_ARGS, launchBrowser } from './launch.mjs';
import { UsageError, main, openPage, parseCli, parsePositiveInt, repoRoot, resolveModelsDir, startServer } from './eval/harness.mjs';

const USAGE = 'usage: npm run soak -- [--minutes 30] [--warmup-minutes 1] [--json FILE] [--cycle-seconds 30] [--hold-seconds 5] [--predict-only]';
const say = (message) => process.stderr.write(`${message}\n`);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function parseOptions(argv) {
  const { values } = parseCli(argv, USAGE, {
    minutes: { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string', default: '1' },
    json: { type: 'string', default: join(repoRoot, 'bench/soak.json') },
    'cycle-seconds': { type: 'string', default: '30' },
    'hold-seconds': { type: 'string', default: '5' },
    'predict-only': { type: 'boolean', default: false },
  });
  const options = {
    minutes: parsePositiveInt(values.minutes, '--minutes'),
    warmupMs: parsePositiveInt(values['warmup-minutes'], '--warmup-minutes') * 60_000,
    json: values.json,
    cycleMs: parsePositiveInt(values['cycle-seconds'], '--cycle-seconds') * 1000,
    holdMs: parsePositiveInt(values['hold-seconds'], '--hold-seconds') * 1000,
    predictOnly: values['predict-only'],
  };
  if (options.holdMs >= options.cycleMs) throw new UsageError(`--hold-seconds must be shorter than --cycle-seconds (${USAGE})`);
  return options;
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function takeSample(page, startedAt) {
  const state = await page.evaluate(() => window.soak.sample());
  const heap = await jsHeapBytes(page);
  return { minute: (Date.now() - startedAt) / 60_000, ...state, heap_mb: heap / 1e6, load_1min: loadavg()[0] };
}

await main('soak', async () => {
  const options = parseOptions(process.argv.slice(2));
  const modelsDir = resolveModelsDir();
  const server = await startServer(join(repoRoot, 'scripts/soak/page.ts'), modelsDir);
  const browser = await launchBrowser(FAKE_CAMERA_ARGS);
  const load = loadSampler();
  try {
    const page = await openPage(browser, server.url, 'soak');
    say('soak: waiting for the model and the first predictions...');
    await page.evaluate(() => window.soak.ready());
    await page.evaluate((job) => window.soak.start(job), { cycleMs: options.cycleMs, holdMs: options.holdMs });
    // Every class is recorded into at least once before the first sample, so that what is made once per class (its
    // prepared k-NN rows, its kept thumbnails) is not counted as growth.
    say(`soak: warming up for ${options.warmupMs / 60_000} min...`);
    await sleep(options.warmupMs);
    if (options.predictOnly) await page.evaluate(() => window.soak.stop());
    const startedAt = Date.now();
    const samples = [await takeSample(page, startedAt)];
    say(`soak: started, ${samples[0].tensors} tensors, heap ${samples[0].heap_mb.toFixed(2)} MB`);
    for (let minute = 1; minute <= options.minutes; minute++) {
      await sleep(startedAt + minute * 60_000 - Date.now());
      const s = await takeSample(page, startedAt);
      const previous = samples.at(-1);
      const fps = (s.frames - previous.frames) / ((s.minute - previous.minute) * 60);
      samples.push(s);
      say(
        `soak: minute ${minute}: ${s.tensors} tensors, heap ${s.heap_mb.toFixed(2)} MB, store ${(s.store_bytes / 1e6).toFixed(2)} MB, ${s.examples} examples, ` +
          `${fps.toFixed(1)} frames/s, load ${s.load_1min.toFixed(2)}`,
      );
    }
    await page.evaluate(() => window.soak.stop());
    const end = await takeSample(page, startedAt);
    const first = samples[0];
    const last = samples.at(-1);
    const seconds = (last.minute - first.minute) * 60;
    // The first minute's heap includes warm-up (caches filled, thumbnails reaching their cap): the slope is also
    // given from minute 5 on, the steady state.
    const steady = samples.filter((s) => s.minute >= 5);
    const report = {
      date: new Date().toISOString(),
      minutes: options.minutes,
      cycle_ms: options.cycleMs,
      hold_ms: options.holdMs,
      predict_only: options.predictOnly,
      backend: first.backend,
      tensors_start: first.tensors,
      tensors_end: last.tensors,
      tensors_after_stop: end.tensors,
      tensor_bytes_growth: last.tensor_bytes - first.tensor_bytes,
      examples_added: last.examples - first.examples,
      store_bytes_growth: last.store_bytes - first.store_bytes,
      store_bytes_per_added_example: last.examples > first.examples ? (last.store_bytes - first.store_bytes) / (last.examples - first.examples) : null,
      heap_start_mb: first.heap_mb,
      heap_end_mb: last.heap_mb,
      heap_slope_mb_per_minute: slope(samples.map((s) => s.minute), samples.map((s) => s.heap_mb)),
      heap_slope_from_minute_5_mb_per_minute: slope(steady.map((s) => s.minute), steady.map((s) => s.heap_mb)),
      frames: last.frames - first.frames,
      recorded_frames: last.recorded_frames - first.recorded_frames,
      frames_per_second: (last.frames - first.frames) / seconds,
      load: load.stop(),
      samples,
    };
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    say(
      `soak: ${options.minutes} min, tensors ${report.tensors_start} -> ${report.tensors_end}, heap ` +
        `${report.heap_start_mb.toFixed(2)} -> ${report.heap_end_mb.toFixed(2)} MB (slope ` +
        `${report.heap_slope_mb_per_minute.toFixed(3)} MB/min), ${report.frames_per_second.toFixed(1)} frames/s; ` +
        `written to ${options.json}`,
    );
    if (report.tensors_end !== report.tensors_start) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
  }
});
