// The bench's Firefox column: the same bench pages as Chromium's figures (bench/page/), in headless firefox-esr over
// WebDriver BiDi (test/firefox.mjs), for the default model's embedding on wasm, the whole frame (Firefox's fake
// camera) and k-NN predict and record at 1,000 and 10,000 examples. No heap figures: Firefox does not speak the
// DevTools protocol they are read with.
import { launchFirefox } from '../test/firefox.mjs';
import { measureAppPath, inPage, say, errorText } from './sections.mjs';
import { openBenchPage } from './browser.mjs';

const DEFAULT_MODEL = 'mobilenet-v2-0.35';

/** The figures of `plan` (plan.mjs) in Firefox at `url` (the bench page's server), as results.firefox. */
export async function measureFirefox(url, plan) {
  const browser = await launchFirefox();
  const firefox = { version: await browser.version(), embed: null, frame: null, knn: [], errors: [] };
  const step = async (name, body) => {
    try {
      await body();
    } catch (error) {
      say(`  firefox ${name} failed: ${errorText(error)}`);
      firefox.errors.push({ section: name, error: errorText(error) });
    }
  };
  try {
    firefox.environment = await inPage(browser, url, () => window.bench.environment());
    await step('embed', async () => {
      const model = plan.embed.models.includes(DEFAULT_MODEL) ? DEFAULT_MODEL : plan.embed.models[0];
      const job = { model, backend: 'wasm', runs: plan.embed.runs.wasm, warmup: plan.embed.warmup.wasm };
      const result = await inPage(browser, url, (j) => window.bench.embed(j), job);
      if ('error' in result) throw new Error(result.error);
      say(`  firefox ${model} wasm: ours ${result.ms.toFixed(1)} ms, baseline ${result.baseline_ms.toFixed(1)} ms`);
      firefox.embed = result;
    });
    await step('frame', async () => {
      const { frame } = await measureAppPath(browser, url, plan, new Set(['frame']));
      firefox.frame = frame;
    });
    await step('knn', async () => {
      for (const n of plan.knn.ns.filter((size) => size === 1000 || size === 10_000 || plan.knn.ns.length === 1)) {
        const { dim, classes, runs, warmup, recordRuns, recordWarmup } = plan.knn;
        const page = await openBenchPage(browser, url);
        try {
          const filled = await page.evaluate((j) => window.bench.fillKnn(j), { n, data: 'random', dim, classes, runs, warmup, recordRuns, recordWarmup, kernels: 'simd', backend: 'wasm' });
          if ('error' in filled) throw new Error(filled.error);
          const result = await page.evaluate(() => window.bench.compareKnn());
          say(`  firefox N=${n}: predict ${result.predict_ms.toFixed(2)} vs ${result.baseline_predict_ms.toFixed(2)} ms`);
          firefox.knn.push(result);
        } finally {
          await page.close();
        }
      }
    });
  } finally {
    await browser.close();
  }
  if (firefox.errors.length === 0) delete firefox.errors;
  return firefox;
}

const ms = (value) => (typeof value === 'number' ? (value >= 10 ? value.toFixed(1) : value.toFixed(2)) : '-');
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && a > 0 ? `${(b / a).toFixed(2)}x` : '');

/** Chromium's and Firefox's medians side by side (ms), from results.json's figures. */
export function firefoxTable(results) {
  const firefox = results.firefox;
  if (!firefox) return '';
  const chromiumEmbed = results.embed.find((row) => row.backend === 'wasm' && row.model === firefox.embed?.model);
  const rows = [
    [`embed ${firefox.embed?.model ?? ''}, wasm (ours)`, chromiumEmbed?.ms, firefox.embed?.ms],
    [`whole frame, ${(firefox.frame?.examples ?? 0).toLocaleString('en')} examples`, results.frame?.ms, firefox.frame?.ms],
    ['embed alone, in the whole frame\'s page', results.frame?.embed_ms, firefox.frame?.embed_ms],
    ['crop of a new camera frame (grabVideo)', results.frame?.crop_ms, firefox.frame?.crop_ms],
    ['crop drawn (grab)', results.frame?.crop_drawn_ms, firefox.frame?.crop_drawn_ms],
    ...firefox.knn.flatMap((row) => {
      const chromium = results.knn.find((r) => r.n === row.n && (r.data ?? 'random') === 'random');
      return [
        [`k-NN random ${row.n.toLocaleString('en')}: predict`, chromium?.predict_ms, row.predict_ms],
        [`k-NN random ${row.n.toLocaleString('en')}: record`, chromium?.record_ms, row.record_ms],
      ];
    }),
  ];
  const lines = [
    `\n| figure (ms) | Chromium | Firefox ${firefox.version.replace(/^firefox\//, '')} | Firefox / Chromium |`,
    '|---|---:|---:|---:|',
    ...rows.map(([name, c, f]) => `| ${name} | ${ms(c)} | ${ms(f)} | ${ratio(c, f)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
