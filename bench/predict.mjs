// The bench's `predict` and `runtime-size` sections, measured from Node (no bench page):
// - predict: `npm run predict` on real photos against bench/predict-baseline.mjs, the same loop written with
//   @tensorflow-models/mobilenet and @tensorflow-models/knn-classifier directly; run alternately, medians of the
//   runs' milliseconds per image (model loading and process start excluded, and reported apart).
// - runtime-size: the runtime library as `npm run build:runtime` builds it against @tensorflow/tfjs,
//   @tensorflow-models/mobilenet and @tensorflow-models/knn-classifier bundled the usual way (a three-import entry)
//   by the same Vite and minifier, both gzipped.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { repoRoot } from '../scripts/eval/harness.mjs';
import { median } from './report.mjs';

const DATASET = join(repoRoot, '..', 'shared', 'datasets', 'rock-paper-scissors');
const CLASSES = ['paper', 'rock', 'scissors'];

function run(script, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(process.execPath, [join(repoRoot, script), ...args], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      else resolve({ stdout, stderr, wallSeconds: (performance.now() - started) / 1000 });
    });
  });
}

/** `<dir>/<class>/<photo>` links: photos from..from+count (by name) spread over the classes. */
function photoFolder(dir, from, total) {
  const links = [];
  CLASSES.forEach((className, c) => {
    const count = Math.floor(total / CLASSES.length) + (c < total % CLASSES.length ? 1 : 0);
    mkdirSync(join(dir, className), { recursive: true });
    for (const file of readdirSync(join(DATASET, className)).sort().slice(from, from + count)) {
      symlinkSync(join(DATASET, className, file), join(dir, className, file));
      links.push(join(dir, className, file));
    }
  });
  return links;
}

/** Share of output lines whose label is the photo's folder. */
function accuracy(stdout) {
  const lines = stdout.trim().split('\n').map((line) => line.split('\t')).filter((cells) => cells.length >= 3);
  const right = lines.filter(([path, label]) => path.split('/').at(-2) === label).length;
  return lines.length ? right / lines.length : null;
}

/** One comparison: ours with `ourModel`'s classes against the baseline on mobilenet `version`/`alpha`. */
async function compare(scratch, plan, images, ourModel, baseline) {
  const ourClasses = join(scratch, `${ourModel}.json`);
  await run('scripts/predict.mjs', ['--teach', '--out', ourClasses, '--model', ourModel, join(scratch, 'train')]);
  const baselineClasses = join(scratch, `${baseline.model}.json`);
  if (baseline.model !== ourModel) await run('scripts/predict.mjs', ['--teach', '--out', baselineClasses, '--model', baseline.model, join(scratch, 'train')]);
  const ours = [];
  const theirs = [];
  for (let i = 0; i < plan.runs; i++) {
    const o = await run('scripts/predict.mjs', ['--classes', ourClasses, join(scratch, 'test')]);
    const summary = /predict: (\d+) images? in ([\d.]+) s .* loaded in ([\d.]+) s/.exec(o.stderr);
    if (!summary || Number(summary[1]) !== images) throw new Error(`npm run predict said: ${o.stderr.trim()}`);
    ours.push({ ms: (1000 * Number(summary[2])) / images, load: Number(summary[3]), wall: o.wallSeconds, accuracy: accuracy(o.stdout) });
    const b = await run('bench/predict-baseline.mjs', [
      '--classes', baselineClasses, '--models-dir', plan.modelsDir, '--version', String(baseline.version), '--alpha', String(baseline.alpha),
      ...readdirSync(join(scratch, 'test'), { recursive: true }).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(scratch, 'test', f)),
    ]);
    const report = JSON.parse(b.stderr.trim().split('\n').at(-1));
    theirs.push({ ms: (1000 * report.seconds) / report.images, load: report.load_seconds, wall: b.wallSeconds, accuracy: accuracy(b.stdout) });
  }
  const med = (rows, key) => median(rows.map((r) => r[key]));
  return {
    ours_model: ourModel,
    baseline_model: baseline.model,
    ms_per_image: med(ours, 'ms'),
    baseline_ms_per_image: med(theirs, 'ms'),
    images_per_second: 1000 / med(ours, 'ms'),
    baseline_images_per_second: 1000 / med(theirs, 'ms'),
    load_seconds: med(ours, 'load'),
    baseline_load_seconds: med(theirs, 'load'),
    wall_seconds: med(ours, 'wall'),
    baseline_wall_seconds: med(theirs, 'wall'),
    accuracy: ours[0].accuracy,
    baseline_accuracy: theirs[0].accuracy,
    runs_ms_per_image: ours.map((r) => r.ms),
    baseline_runs_ms_per_image: theirs.map((r) => r.ms),
  };
}

/**
 * `npm run predict` against the packages used directly: out of the box (the app's default model against the
 * package's default, V2 1.0) and on the same network (V2 1.0 in both).
 */
export async function measurePredict(modelsDir, plan, say) {
  const scratch = mkdtempSync(join(tmpdir(), 'teachable-bench-predict-'));
  try {
    photoFolder(join(scratch, 'train'), 0, plan.trainPerClass * CLASSES.length);
    const images = photoFolder(join(scratch, 'test'), plan.trainPerClass, plan.photos).length;
    const job = { ...plan, modelsDir };
    const v2 = { model: 'mobilenet-v2-1.0', version: 2, alpha: 1.0 };
    const outOfTheBox = await compare(scratch, job, images, 'mobilenet-v2-0.35', v2);
    say(`  out of the box: ${outOfTheBox.images_per_second.toFixed(1)} vs ${outOfTheBox.baseline_images_per_second.toFixed(1)} images/s`);
    const sameModel = plan.sameModel ? await compare(scratch, job, images, 'mobilenet-v2-1.0', v2) : null;
    if (sameModel) say(`  same model (V2 1.0): ${sameModel.images_per_second.toFixed(1)} vs ${sameModel.baseline_images_per_second.toFixed(1)} images/s`);
    return { photos: images, train_per_class: plan.trainPerClass, runs: plan.runs, out_of_the_box: outOfTheBox, same_model: sameModel };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Bytes and gzipped bytes (level 9) of the runtime bundle and of the usual three-package bundle. */
export async function measureRuntimeSize() {
  const scratch = mkdtempSync(join(tmpdir(), 'teachable-bench-size-'));
  // Inside the repository, so the entry's imports resolve from its node_modules.
  const entryDir = join(repoRoot, 'node_modules/.cache/teachable-knn');
  const entry = join(entryDir, 'usual-bundle-entry.js');
  try {
    await build({ configFile: join(repoRoot, 'vite.runtime.config.ts'), logLevel: 'silent', build: { outDir: join(scratch, 'ours'), emptyOutDir: true } });
    mkdirSync(entryDir, { recursive: true });
    writeFileSync(
      entry,
      "export * as tf from '@tensorflow/tfjs';\nexport * as mobilenet from '@tensorflow-models/mobilenet';\nexport * as knnClassifier from '@tensorflow-models/knn-classifier';\n",
    );
    await build({
      configFile: false,
      logLevel: 'silent',
      publicDir: false,
      build: {
        target: 'es2022',
        outDir: join(scratch, 'usual'),
        lib: { entry, formats: ['es'], fileName: () => 'usual.js' },
        rolldownOptions: { output: { minify: true } },
      },
    });
    const size = (file) => {
      const bytes = readFileSync(file);
      return { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    };
    const ours = size(join(scratch, 'ours', 'teachable-knn.js'));
    const usual = size(join(scratch, 'usual', 'usual.js'));
    return { gzip_bytes: ours.gzip, baseline_gzip_bytes: usual.gzip, bytes: ours.bytes, baseline_bytes: usual.bytes };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(entry, { force: true });
  }
}
