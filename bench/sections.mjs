// The measurements `npm run bench` drives from Node: each opens bench pages (bench/page/index.ts), hands them a
// job from plan.mjs and collects what they report. bench.mjs runs them in order and writes the results.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServer } from '../scripts/eval/harness.mjs';
import { jsHeapBytes, openBenchPage, timeFirstPrediction } from './browser.mjs';
import { measureAppScaleStorage } from './app-scale-storage.mjs';
import { median } from './report.mjs';

export const say = (message) => process.stderr.write(`${message}\n`);
export const errorText = (error) => (error instanceof Error ? error.message : String(error));

/** Runs `fn(job)` in a fresh bench page; the page is closed whatever happens. */
export async function inPage(browser, url, fn, job) {
  const page = await openBenchPage(browser, url);
  try {
    return await page.evaluate(fn, job);
  } finally {
    await page.close();
  }
}

/**
 * Every model on every backend, backend after backend (wasm first, the software-GPU ones last, so a crashed GPU
 * process cannot spoil other figures). A backend that fails on its first model is not tried on the others:
 * returns the rows measured and a note for each backend given up on.
 */
export async function measureEmbed(browser, url, plan) {
  const rows = [];
  const skipped = {};
  const pairs = [
    ...plan.backends.flatMap((backend) => plan.models.map((model) => ({ model, backend }))),
    ...plan.cpuModels.map((model) => ({ model, backend: 'cpu' })),
  ];
  const tried = new Set();
  for (const { model, backend } of pairs) {
    if (skipped[backend]) continue;
    const first = !tried.has(backend);
    tried.add(backend);
    const kind = backend === 'wasm' ? 'wasm' : 'other';
    const job = { model, backend, runs: plan.runs[kind], warmup: plan.warmup[kind] };
    let result;
    try {
      result = await inPage(browser, url, (j) => window.bench.embed(j), job);
    } catch (error) {
      result = { error: errorText(error) };
    }
    if ('error' in result) {
      say(`  embed ${model} on ${backend}: ${result.error}`);
      rows.push({ model, backend, ms: null, baseline_ms: null, error: result.error });
      if (first) skipped[backend] = `${backend} failed on ${model} (${result.error}), so the other models were not tried on it`;
      continue;
    }
    say(`  ${model} ${backend}: ours ${result.ms.toFixed(1)} ms, baseline ${result.baseline_ms.toFixed(1)} ms`);
    rows.push(result);
  }
  return { rows, skipped };
}

/**
 * The whole frame on each distribution of stored examples (plan.frame.data; 'real' only with a corpus), and the leak
 * run, which shares the first one's page (the app's frame path set up once).
 */
export async function measureAppPath(browser, url, plan, sections, corpus) {
  const frames = [];
  let leak;
  const kinds = sections.has('frame') ? plan.frame.data.filter((data) => data !== 'real' || corpus) : [plan.frame.data[0]];
  for (const [i, data] of kinds.entries()) {
    const page = await openBenchPage(browser, url);
    try {
      const setup = await page.evaluate((j) => window.bench.setUpAppPath(j), { backend: 'wasm', ...plan.frame, data, corpus });
      if ('error' in setup) throw new Error(setup.error);
      if (sections.has('frame')) {
        const frame = await page.evaluate((j) => window.bench.frame(j), { ...plan.frame, crops: i === 0 });
        say(`  frame (${data}) ${frame.ms.toFixed(1)} ms, embed alone ${frame.embed_ms.toFixed(1)} ms`);
        frames.push(frame);
      }
      if (i === 0 && sections.has('leak')) leak = await measureLeak(page, plan.leak);
      await page.evaluate(() => window.bench.tearDownAppPath());
    } finally {
      await page.close();
    }
  }
  return { frame: frames[0], frameData: frames.slice(1), leak };
}

/** Tensors and JS heap before and after `plan.frames` frames of the app's path (after a warm-up). */
async function measureLeak(page, plan) {
  const before = await page.evaluate((j) => window.bench.warmUpLeak(j), { fillThumbnails: plan.fillThumbnails });
  const heapBefore = await jsHeapBytes(page);
  const run = await page.evaluate((j) => window.bench.leak(j), { frames: plan.frames, recordEvery: plan.recordEvery });
  const heapAfter = await jsHeapBytes(page);
  say(`  leak: ${run.frames} frames in ${run.seconds.toFixed(0)} s, tensors ${before.tensors} -> ${run.tensors}`);
  return {
    tensors_before: before.tensors,
    tensors_after: run.tensors,
    heap_growth_mb: (heapAfter - heapBefore) / 1e6,
    heap_before_mb: heapBefore / 1e6,
    frames: run.frames,
    recorded: run.recorded,
    tensor_bytes_growth: run.bytes - before.bytes,
    recorded_examples_bytes: run.recorded_examples_bytes,
    seconds: run.seconds,
  };
}

/**
 * Each (distribution, N) of the plan in a fresh page; 'real' is skipped when there is no corpus (no
 * ../shared/datasets). Then the plan's `plain` cases, with the store's kernels forced to their plain (no SIMD) form.
 */
export async function measureKnn(browser, url, plan, corpus) {
  const rows = [];
  const casesOf = (ns, data, kernels) =>
    data.flatMap((d) => (d === 'real' && !corpus ? [] : ns.filter((n) => n >= (plan.minN[d] ?? 0)).map((n) => ({ data: d, n, kernels }))));
  const cases = [...casesOf(plan.ns, plan.data, 'simd'), ...(plan.plain ? casesOf(plan.plain.ns, plan.plain.data, 'plain') : [])];
  for (const { data, n, kernels } of cases) {
    const { dim, classes, runs, warmup, recordRuns, recordWarmup } = plan;
    const job = { n, data, dim, classes, runs, warmup, recordRuns, recordWarmup, kernels };
    const page = await openBenchPage(browser, url);
    try {
      await page.evaluate((u) => window.bench.loadKnnCorpus(u), corpus);
      const heapBefore = await jsHeapBytes(page);
      const filled = await page.evaluate((j) => window.bench.fillKnn(j), { ...job, backend: 'wasm' });
      if ('error' in filled) throw new Error(filled.error);
      const heapBytes = Math.max(0, (await jsHeapBytes(page)) - heapBefore);
      const result = await page.evaluate(() => window.bench.compareKnn());
      say(`  ${data} N=${n}${kernels === 'plain' ? ' (no SIMD)' : ''}: predict ${result.predict_ms.toFixed(2)} vs ${result.baseline_predict_ms.toFixed(2)} ms`);
      rows.push({ ...result, heap_bytes_per_example: heapBytes / n, memory_mb: (filled.bytes + heapBytes) / 1e6 });
    } catch (error) {
      say(`  k-NN ${data} N=${n}: ${errorText(error)}`);
      rows.push({ n, data, kernels, error: errorText(error) });
    } finally {
      await page.close();
    }
  }
  return rows;
}

/** Loads the app once to fill a fresh profile's caches, then again `runs` times, each a new browser on that profile. */
export async function measureStart(modelsDir, plan) {
  const server = await startServer(join(repoRoot, 'bench/page/start.ts'), modelsDir);
  const profile = mkdtempSync(join(tmpdir(), 'teachable-bench-profile-'));
  try {
    const first = await timeFirstPrediction(server.url, profile);
    say(`  first visit: ${first.first_prediction_ms.toFixed(0)} ms (model from ${first.model_source})`);
    const visits = [];
    for (let i = 0; i < plan.cachedRuns; i++) {
      const visit = await timeFirstPrediction(server.url, profile);
      say(`  cached visit ${i + 1}: ${visit.first_prediction_ms.toFixed(0)} ms (model from ${visit.model_source})`);
      visits.push(visit);
    }
    return {
      cached_ms: median(visits.map((v) => v.first_prediction_ms)),
      first_visit_ms: first.first_prediction_ms,
      runs: visits.length,
      cached_visits_ms: visits.map((v) => v.first_prediction_ms),
      model_sources: visits.map((v) => v.model_source),
      backend: first.backend,
    };
  } finally {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}


/** "App at scale", storage rows: the built app's reload, export and import with N held-button examples (app-scale-storage.mjs). */
export function measureScaleStorage(modelsDir, plan) {
  return measureAppScaleStorage(modelsDir, plan);
}
