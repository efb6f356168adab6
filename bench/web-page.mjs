// The bench's `web-page` section: the page "Export as a web page" makes (scripts/web-page/page-kit.mjs: the app's own
// zip for classes taught from real webcam photos), unzipped and served from a local static server (no isolation
// headers), opened `runs` times in a new Chromium with an empty profile (a cold cache) and Chromium's fake camera.
// Measured: from navigation start to the first `tm-prediction` event, in the page's own clock; and when each of the
// load's phases ended (the runtime's `tm-classifier:*` performance marks, src/runtime/load-classifier.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './report.mjs';
import { FAKE_CAMERA_ARGS, launchBrowser } from './browser.mjs';
import { repoRoot } from '../scripts/eval/harness.mjs';
import { buildElementBundle, exportedZip, serveFolder, teachClasses, unzipTo } from '../scripts/web-page/page-kit.mjs';

const DATASET = join(repoRoot, '..', 'shared', 'datasets', 'webcam-hand-gestures');
const CLASSES = ['up', 'left', 'palm'];

export async function measureWebPage(modelsDir, plan, say) {
  const scratch = await mkdtemp(join(tmpdir(), 'tm-bench-web-page-'));
  try {
    const bundleFile = await buildElementBundle(join(scratch, 'bundle'));
    const classesFile = join(scratch, 'classes.json');
    await teachClasses(classesFile, DATASET, CLASSES, plan.trainPerClass);
    const zip = await exportedZip({ classesFile, bundleFile, modelsDir });
    const site = await unzipTo(zip, join(scratch, 'site'));
    const server = await serveFolder(site, { isolated: false });
    const times = [];
    const phases = {};
    try {
      for (let run = 0; run < plan.runs; run++) {
        const browser = await launchBrowser([`--user-data-dir=${join(scratch, `profile-${run}`)}`, ...FAKE_CAMERA_ARGS]);
        try {
          const page = await browser.newPage();
          await page.evaluateOnNewDocument(() => {
            // Capturing: the element's events do not bubble.
            document.addEventListener('tm-prediction', () => (window.firstPredictionMs ??= performance.now()), { capture: true });
          });
          await page.goto(server.url, { waitUntil: 'domcontentloaded' });
          await page.waitForFunction(() => window.firstPredictionMs !== undefined, { timeout: 120_000, polling: 50 });
          const { first, marks } = await page.evaluate(() => ({
            first: window.firstPredictionMs,
            marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('tm-classifier:')).map((m) => [m.name.slice('tm-classifier:'.length), m.startTime]),
          }));
          times.push(first);
          for (const [name, ms] of marks) (phases[name] ??= []).push(ms);
          const marked = marks.map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ');
          say(`  web page run ${run + 1}: first prediction at ${Math.round(first)} ms (${marked})`);
        } finally {
          await browser.close();
        }
      }
    } finally {
      await server.close();
    }
    const phaseMedians = Object.fromEntries(Object.entries(phases).map(([name, all]) => [name, Math.round(median(all))]));
    return { first_prediction_ms: median(times), runs: times.length, all_ms: times.map(Math.round), phases_median_ms: phaseMedians, zip_bytes: zip.length };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
