// npm run measure-frame -- [--models ID,...] [--backends wasm,webgl] [--cpu-models mobilenet-v1-0.25] [--runs 30]
//                          [--warmup 5] [--examples 1000] [--classes 10] [--json FILE]
// Per-frame speed of the app's code on this machine, in headless Chromium: median ms of the embedding alone and of
// the whole frame step (grab, embed, k-NN vote). See scripts/eval/measure-page.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, loadCatalog, main, openPage, parseCli, parseList, parsePositiveInt, repoRoot, resolveModelsDir, startServer } from './eval/harness.mjs';
import { launchBrowser } from './launch.mjs';

const USAGE =
  'usage: npm run measure-frame -- [--models ID,...] [--backends wasm,webgl] [--cpu-models ID,...] [--runs 30] [--warmup 5] [--examples 1000] [--classes 10] [--json FILE]';

await main('measure-frame', async () => {
  const { values } = parseCli(process.argv.slice(2), USAGE, {
    models: { type: 'string' },
    backends: { type: 'string', default: 'wasm,webgl' },
    // The plain cpu backend is ~20x slower than wasm: only the smallest model is worth timing on it.
    'cpu-models': { type: 'string', default: 'mobilenet-v1-0.25' },
    runs: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    examples: { type: 'string', default: '1000' },
    classes: { type: 'string', default: '10' },
    json: { type: 'string' },
  });
  const catalog = await loadCatalog();
  const models = values.models ? parseList(values.models) : catalog.MODEL_CATALOG.map((m) => m.id);
  for (const id of [...models, ...parseList(values['cpu-models'])]) {
    if (!catalog.findModel(id)) throw new UsageError(`unknown model "${id}"; known: ${catalog.MODEL_CATALOG.map((m) => m.id).join(', ')}.`);
  }
  const runs = parsePositiveInt(values.runs, '--runs');
  const warmup = parsePositiveInt(values.warmup, '--warmup');
  const examples = parsePositiveInt(values.examples, '--examples');
  const classes = parsePositiveInt(values.classes, '--classes');
  const plan = [
    ...models.flatMap((model) => parseList(values.backends).map((backend) => ({ model, backend }))),
    ...parseList(values['cpu-models']).map((model) => ({ model, backend: 'cpu' })),
  ];

  const server = await startServer(join(repoRoot, 'scripts/eval/measure-page.ts'), resolveModelsDir());
  // Recent Chromium no longer falls back to its software GPU for WebGL without this flag; this machine has no GPU.
  const browser = await launchBrowser(['--enable-unsafe-swiftshader']);
  const chromium = await browser.version();
  const rows = [];
  try {
    for (const { model, backend } of plan) {
      // A fresh page for each, so no backend or model state carries over.
      const page = await openPage(browser, server.url, 'runMeasure');
      const job = { model, backend, runs, warmup, examples, classes };
      const result = await page.evaluate((j) => window.runMeasure(j), job);
      await page.close();
      if ('error' in result) {
        process.stderr.write(`  ${model} on ${backend}: ${result.error}\n`);
        rows.push({ model, backend, error: result.error });
        continue;
      }
      process.stderr.write(`  embed ${result.embed.medianMs.toFixed(1)} ms, frame ${result.frame.medianMs.toFixed(1)} ms\n`);
      rows.push({ model, ...result });
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const ms = (t) => t.medianMs.toFixed(1);
  process.stdout.write(
    `| model | backend | embed ms (median) | frame step ms (median) | frame step p90 | frames/s |\n|---|---|---:|---:|---:|---:|\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      r.error
        ? `| ${r.model} | ${r.backend} | ${r.error} | | | |\n`
        : `| ${r.model} | ${r.backend} | ${ms(r.embed)} | ${ms(r.frame)} | ${r.frame.p90Ms.toFixed(1)} | ${(1000 / r.frame.medianMs).toFixed(0)} |\n`,
    );
  }
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ chromium, runs, warmup, examples, classes, rows }, null, 2)}\n`);
  }
});
