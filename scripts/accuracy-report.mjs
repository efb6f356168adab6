// node scripts/accuracy-report.mjs [RESULTS_DIR]
// Prints the markdown tables of docs/accuracy.md from the JSON files that bench/run-accuracy.sh and
// `npm run measure-frame -- --json` wrote, so the document's numbers are copied by a program, not by hand.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'bench/results';
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

// The catalog's and the shared README's order; anything else after them.
const order = (known) => (name) => (known.includes(name) ? known.indexOf(name) : known.length);
const datasetRank = order(['sign-language-digits', 'rock-paper-scissors', 'webcam-hand-gestures', 'webcam-hand-gestures-random']);
const modelRank = order(['mobilenet-v2-0.35', 'mobilenet-v1-0.25', 'mobilenet-v2-1.0']);

const runs = readdirSync(dir)
  .filter((f) => /--.+\.json$/.test(f))
  .map((f) => ({ dataset: f.split('--')[0], ...JSON.parse(readFileSync(join(dir, f), 'utf8')) }))
  .sort((a, b) => datasetRank(a.dataset) - datasetRank(b.dataset) || modelRank(a.model) - modelRank(b.model));

for (const dataset of [...new Set(runs.map((r) => r.dataset))]) {
  const ofDataset = runs.filter((r) => r.dataset === dataset);
  const shots = ofDataset[0].shots;
  const first = ofDataset[0];
  const splitFile = join(dir, `${dataset}.split.txt`);
  console.log(`### ${dataset}\n`);
  if (existsSync(splitFile)) console.log(`What \`npm run split\` printed: ${readFileSync(splitFile, 'utf8').split('\n')[0]}\n`);
  console.log(
    `${first.classes.length} classes; ${first.trainImages} training images to draw from, ${first.testImages} test images; ` +
      `${first.repeats} repeats. Cells: mean test accuracy % ± sd over repeats.\n`,
  );
  console.log(`| model | method | ${shots.map((n) => `${n} shot${n > 1 ? 's' : ''}`).join(' | ')} |`);
  console.log(`|---|---|${shots.map(() => '---:').join('|')}|`);
  for (const run of ofDataset) {
    for (const [method, byShots] of Object.entries(run.perRepeat)) {
      const cells = shots.map((n) => (byShots[n] ? `${(100 * mean(byShots[n])).toFixed(1)} ±${(100 * sd(byShots[n])).toFixed(1)}` : '–'));
      console.log(`| ${run.model} | ${method} | ${cells.join(' | ')} |`);
    }
  }
  console.log(`\nEmbedding all images took ${ofDataset.map((r) => `${r.embedSeconds} s (${r.model})`).join(', ')}.\n`);
}

// The goal of the k-NN work: the app's k-NN at least matching the app's dense head at every shot count.
const goalModel = 'mobilenet-v2-0.35';
const goalRuns = runs.filter((r) => r.model === goalModel && r.perRepeat.knn && r.perRepeat.dense);
if (goalRuns.length) {
  const shots = goalRuns[0].shots;
  console.log(`### k-NN against the dense head (${goalModel})\n`);
  console.log('Cells: knn − dense in points (mean over repeats), then knn / dense %. Negative: the head is ahead.\n');
  console.log(`| dataset | ${shots.map((n) => `${n} shot${n > 1 ? 's' : ''}`).join(' | ')} |`);
  console.log(`|---|${shots.map(() => '---:').join('|')}|`);
  for (const run of goalRuns) {
    const cells = shots.map((n) => {
      const knn = 100 * mean(run.perRepeat.knn[n]);
      const dense = 100 * mean(run.perRepeat.dense[n]);
      const diff = knn - dense;
      return `${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} (${knn.toFixed(1)} / ${dense.toFixed(1)})`;
    });
    console.log(`| ${run.dataset} | ${cells.join(' | ')} |`);
  }
  console.log('');
}

const speedFile = join(dir, 'speed.json');
if (existsSync(speedFile)) {
  const speed = JSON.parse(readFileSync(speedFile, 'utf8'));
  console.log(`### Speed (${speed.chromium}, ${speed.runs} timed runs after ${speed.warmup} warm-up)\n`);
  console.log('| model | backend | embed alone, median ms | whole frame step, median ms | frame step p90 ms | frames/s (1000 / median) |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const r of speed.rows) {
    if (r.error) console.log(`| ${r.model} | ${r.backend} | failed: ${r.error} | | | |`);
    else {
      console.log(
        `| ${r.model} | ${r.backend} | ${r.embed.medianMs.toFixed(1)} | ${r.frame.medianMs.toFixed(1)} | ${r.frame.p90Ms.toFixed(1)} | ${(1000 / r.frame.medianMs).toFixed(0)} |`,
      );
    }
  }
}
