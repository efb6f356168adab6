// npm run bench -- [--quick] [--json FILE] [--sections embed,frame,knn,dataset,dense,leak,start,app-scale,scale-storage,predict,bundle,web-page,firefox]
// Speed, memory and leaks of the app's own code against plain baselines, measured in the same run in headless
// Chromium (see bench/page/ for what each figure is), and the embedding, the whole frame and the k-NN again in Firefox. Prints a table of medians with ratios and the issue's
// targets, and writes bench/results.json (--quick: a tiny smoke run, written to the system temp folder).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { UsageError, main, parseCli, parseList, repoRoot, resolveModelsDir, startServer } from '../scripts/eval/harness.mjs';
import { CHROMIUM_BENCH_ARGS, FAKE_CAMERA_ARGS, launchBrowser, loadSampler, openBenchPage } from './browser.mjs';
import { measureAppScaleFrame } from './app-scale-frame.mjs';
import { corpusRoots, ensureCorpus } from './corpus.mjs';
import { firefoxTable, measureFirefox } from './firefox.mjs';
import { FULL, QUICK, SECTIONS } from './plan.mjs';
import { formatTable, missingFields, resultRows } from './report.mjs';
import { measurePredict, measureRuntimeSize } from './predict.mjs';
import { measureWebPage } from './web-page.mjs';
import { errorText, inPage, measureAppPath, measureEmbed, measureKnn, measureScaleStorage, measureStart, say } from './sections.mjs';

const USAGE =
  `usage: npm run bench -- [--quick] [--json FILE] [--sections ${SECTIONS.join(',')}]` +
  ' [--models ID,...] [--backends wasm,webgl,webgpu,cpu] (the last two narrow the embed section)';

function parseOptions(argv) {
  const { values } = parseCli(argv, USAGE, {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    sections: { type: 'string', default: SECTIONS.join(',') },
    models: { type: 'string' },
    backends: { type: 'string' },
  });
  const sections = parseList(values.sections);
  const unknown = sections.filter((s) => !SECTIONS.includes(s));
  if (unknown.length) throw new UsageError(`unknown section(s) ${unknown.join(', ')} (${USAGE})`);
  const json = values.json ?? (values.quick ? join(tmpdir(), 'teachable-bench-quick.json') : join(repoRoot, 'bench/results.json'));
  return {
    quick: values.quick,
    json,
    sections: new Set(sections),
    models: values.models ? parseList(values.models) : null,
    backends: values.backends ? parseList(values.backends) : null,
  };
}

/** The plan with its embed section limited to --models and --backends (cpu only where the plan times it). */
function narrowEmbed(plan, { models, backends }) {
  if (!models && !backends) return plan;
  const embed = { ...plan.embed };
  if (models) {
    embed.models = models;
    embed.cpuModels = embed.cpuModels.filter((m) => models.includes(m));
  }
  if (backends) {
    embed.backends = backends.filter((b) => b !== 'cpu');
    if (!backends.includes('cpu')) embed.cpuModels = [];
    else if (embed.cpuModels.length === 0) embed.cpuModels = embed.models;
  }
  return { ...plan, embed };
}

await main('bench', async () => {
  const options = parseOptions(process.argv.slice(2));
  const plan = narrowEmbed(options.quick ? QUICK : FULL, options);
  const started = Date.now();
  const loadStart = loadavg();
  let modelsDir;
  try {
    modelsDir = resolveModelsDir();
  } catch (error) {
    // As the model tests do, the smoke run in `npm test` skips on a machine without the shared models.
    if (!options.quick) throw error;
    say(`bench --quick skipped: ${errorText(error)}`);
    return;
  }
  // Started once nothing can stop the run before it ends: its timer would keep a failed run (and a lock) alive.
  const sampler = loadSampler();
  const results = {
    machine: {},
    embed: [],
    frame: null,
    frame_data: [],
    knn: [],
    dataset: null,
    dense: null,
    leak: null,
    start: null,
    app_scale: {},
    predict: null,
    bundle: null,
    web_page: null,
    scale_storage: null,
    firefox: null,
    notes: {},
    errors: [],
  };
  const sectionSeconds = {};
  // One section's failure is reported and the others still run.
  const section = async (name, body, enabled = options.sections.has(name)) => {
    if (!enabled) return;
    say(`${name}:`);
    const sectionStart = Date.now();
    try {
      await body();
    } catch (error) {
      say(`  ${name} failed: ${errorText(error)}`);
      results.errors.push({ section: name, error: errorText(error) });
    }
    sectionSeconds[name] = Math.round((Date.now() - sectionStart) / 1000);
  };

  const server = await startServer(join(repoRoot, 'bench/page/index.ts'), modelsDir, corpusRoots());
  const browser = await launchBrowser([...CHROMIUM_BENCH_ARGS, ...FAKE_CAMERA_ARGS]);
  let environment;
  try {
    environment = await inPage(browser, server.url, () => window.bench.environment());
    results.machine.chromium = await browser.version();
    // The real embeddings the 'real' and 'held' distributions start from (embedded once, then cached).
    const wantsData = options.sections.has('knn') || options.sections.has('frame');
    const corpus = wantsData ? await ensureCorpus(() => openBenchPage(browser, server.url), say) : null;
    if (wantsData && !corpus) results.notes.real_data = 'no ../shared/datasets: the real distribution was skipped, and held-button runs started from random rows';
    await section('embed', async () => {
      const { rows, skipped } = await measureEmbed(browser, server.url, plan.embed);
      results.embed = rows;
      if (Object.keys(skipped).length) results.notes.embed_backends_given_up = skipped;
    });
    // The whole frame on each distribution; the leak run shares the first one's page.
    await section(
      'frame+leak',
      async () => {
        const { frame, frameData, leak } = await measureAppPath(browser, server.url, plan, options.sections, corpus);
        if (frame) results.frame = frame;
        results.frame_data = frameData;
        if (leak) results.leak = leak;
      },
      options.sections.has('frame') || options.sections.has('leak'),
    );
    await section('knn', async () => (results.knn = await measureKnn(browser, server.url, plan.knn, corpus)));
    await section('dataset', async () => {
      const result = await inPage(browser, server.url, (j) => window.bench.dataset(j), { ...plan.dataset, backend: 'wasm' });
      if ('error' in result) throw new Error(result.error);
      if ('note' in result) results.notes.dataset = result.note;
      else results.dataset = result;
    });
    await section('dense', async () => {
      const result = await inPage(browser, server.url, (j) => window.bench.dense(j), { ...plan.dense, backend: 'wasm' });
      if ('error' in result) throw new Error(result.error);
      if ('note' in result) results.notes.dense = result.note;
      else results.dense = result;
    });
  } finally {
    await browser.close();
  }
  try {
    await section('firefox', async () => {
      results.firefox = await measureFirefox(server.url, plan);
      for (const failed of results.firefox.errors ?? []) results.errors.push({ section: `firefox ${failed.section}`, error: failed.error });
    });
  } finally {
    await server.close();
  }
  await section('start', async () => (results.start = await measureStart(modelsDir, plan.start)));
  // In Node, not in the bench page (bench/predict.mjs).
  await section('predict', async () => (results.predict = await measurePredict(modelsDir, plan.predict, say)));
  await section('bundle', async () => (results.bundle = await measureRuntimeSize()));
  await section('web-page', async () => (results.web_page = await measureWebPage(modelsDir, plan.webPage, say)));
  await section('app-scale', async () => (results.app_scale.frame = await measureAppScaleFrame(modelsDir, plan.appScale, say)));
  await section('scale-storage', async () => {
    if (plan.scaleStorage.ns.length === 0 && plan.scaleStorage.kills === 0) {
      results.notes.scale_storage = 'not in --quick: it builds the app first; run --sections scale-storage';
      return;
    }
    results.scale_storage = await measureScaleStorage(modelsDir, plan.scaleStorage);
  });

  const load = sampler.stop();
  results.machine = {
    ...results.machine,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    total_memory_gb: Math.round(totalmem() / 1e8) / 10,
    os_release: release(),
    node: process.version,
    ...environment,
    load_average_start: loadStart,
    load_average_end: loadavg(),
    load_average_1min_during: load,
    shared_machine_note: 'This machine was shared with other running work during the run; see the load averages.',
    started_at: new Date(started).toISOString(),
    run_seconds: Math.round((Date.now() - started) / 1000),
    section_seconds: sectionSeconds,
    quick: options.quick,
    plan,
    units: 'ms are medians of the repetitions in plan; MB are 10^6 bytes',
  };
  const missing = missingFields(results, [...options.sections]);
  if (missing.length) results.errors.push({ section: 'results', error: `missing ${missing.join(', ')}` });
  if (results.errors.length === 0) delete results.errors;
  const rows = resultRows(results);
  results.table = rows;
  writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  if (options.quick) process.stdout.write('--quick: a smoke run; its sizes and repetitions are too small for the figures to mean anything.\n');
  process.stdout.write(formatTable(rows));
  process.stdout.write(firefoxTable(results));
  process.stdout.write(
    `\n${results.machine.cpus} CPUs (${results.machine.cpu_model}), ${results.machine.chromium}, tfjs ${environment.tfjs ?? '?'}; ` +
      `load average (1 min) ${load.min.toFixed(1)} to ${load.max.toFixed(1)}, median ${load.median.toFixed(1)} during the run ` +
      `(shared machine). Run time ${results.machine.run_seconds} s. Results: ${options.json}\n`,
  );
  if (results.errors?.length) {
    say(`bench: ${results.errors.length} section(s) failed: ${results.errors.map((e) => `${e.section} (${e.error})`).join('; ')}`);
    process.exitCode = 1;
  }
});
