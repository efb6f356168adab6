// node scripts/measure-kernels.mjs [--sections dense,crop] [--dense-runs 3] [--dense-ways kernels,tfjs-wasm,tfjs-loop-wasm,tfjs-cpu] [--crop-runs 60] [--cosine-frames 60]
//                                  [--video FILE.y4m|FILE.mjpeg] [--json FILE]
// Whether the app's hand-written kernels pay (docs/kernels.md), in headless Chromium on this machine:
// - dense: the dense head's training in a worker, the app's kernels against tfjs layers + Adam (wasm and cpu
//   backends), on the bench's 10 x 50 x 1,280 clusters (50 epochs, no early stopping) and on real embeddings of
//   ../shared/datasets/webcam-hand-gestures (10 classes x 50, early stopping as the app does; accuracy on 30 other
//   frames per class);
// - crop: the centre crop of new camera frames, the YUV kernel against the drawn crop, createImageBitmap with a
//   resize and a VideoFrame drawn on an OffscreenCanvas, on Chromium's fake camera and, with --video, on a file
//   played as the camera (make one from real frames with ffmpeg, see docs/kernels.md); embedding closeness to the
//   drawn crop with the real model.
// Run it under the shared lock on a busy machine: flock /tmp/heavy.lock node scripts/measure-kernels.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataUrl, main, openPage, parsePositiveInt, repoRoot, resolveModelsDir, startServer, UsageError } from './eval/harness.mjs';
import { FAKE_CAMERA_ARGS, launchBrowser } from './launch.mjs';
import { sharedDatasetsDir } from '../server/local-assets.mjs';

const GESTURES = ['up', 'down', 'left', 'right', 'closer', 'further', 'follow', 'palm', 'photo', 'video'];

/** Per class: the first `train` frames of the file list (sorted) to train on, the next `test` to score. */
function realFrames(train, test) {
  const dir = join(sharedDatasetsDir, 'webcam-hand-gestures');
  const files = readFileSync(join(dir, 'frames.csv'), 'utf8').split('\n').slice(1).map((line) => line.split(',')[0]).filter(Boolean).sort();
  const split = { train: [], test: [] };
  for (const gesture of GESTURES) {
    const mine = files.filter((f) => f.startsWith(`${gesture}/`)).map((f) => dataUrl('hands', gesture, f.slice(gesture.length + 1)));
    split.train.push(mine.slice(0, train));
    split.test.push(mine.slice(train, train + test));
  }
  return { dir, split };
}

await main('measure-kernels', async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        sections: { type: 'string', default: 'dense,crop' },
        'dense-runs': { type: 'string', default: '3' },
        // The cpu backend took 155 s for one training here: left out unless asked for.
        'dense-ways': { type: 'string', default: 'kernels,tfjs-wasm,tfjs-loop-wasm' },
        'crop-runs': { type: 'string', default: '60' },
        'cosine-frames': { type: 'string', default: '60' },
        video: { type: 'string' },
        json: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const sections = values.sections.split(',');
  const denseRuns = parsePositiveInt(values['dense-runs'], '--dense-runs');
  const cropRuns = parsePositiveInt(values['crop-runs'], '--crop-runs');
  const cosineFrames = Number(values['cosine-frames']);
  const { dir, split } = realFrames(50, 30);
  const server = await startServer(join(repoRoot, 'scripts/eval/kernels-page.ts'), resolveModelsDir(), { hands: dir });
  const results = { date: new Date().toISOString() };
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  results.load = [load()];
  try {
    if (sections.includes('dense')) {
      const browser = await launchBrowser();
      try {
        const page = await openPage(browser, server.url, 'runDenseCompare');
        const ways = values['dense-ways'].split(',');
        process.stderr.write('dense: bench clusters, 10 x 50 x 1,280, 50 epochs, no early stopping\n');
        results.dense_synthetic = await page.evaluate((j) => window.runDenseCompare(j), {
          source: 'synthetic', classes: 10, perClass: 50, dim: 1280, settings: { epochs: 50, patience: 0 }, runs: denseRuns, ways,
        });
        results.load.push(load());
        process.stderr.write('dense: real embeddings, 10 gestures x 50, app defaults (early stopping)\n');
        results.dense_real = await page.evaluate((j) => window.runDenseCompare(j), {
          source: split, classes: 10, perClass: 50, dim: 1280, settings: {}, runs: denseRuns, ways,
        });
        results.load.push(load());
      } finally {
        await browser.close();
      }
    }
    if (sections.includes('crop')) {
      const cameras = [['fake camera', []]];
      if (values.video) cameras.push([`file ${values.video}`, [`--use-file-for-fake-video-capture=${values.video}`]]);
      results.crop = {};
      for (const [name, flags] of cameras) {
        process.stderr.write(`crop: ${name}\n`);
        const browser = await launchBrowser([...FAKE_CAMERA_ARGS, ...flags]);
        try {
          const page = await openPage(browser, server.url, 'runCropCompare');
          results.crop[name] = await page.evaluate((j) => window.runCropCompare(j), { runs: cropRuns, warmup: 5, cosineFrames });
        } finally {
          await browser.close();
        }
        results.load.push(load());
      }
    }
  } finally {
    await server.close();
  }
  const text = `${JSON.stringify(results, null, 2)}\n`;
  process.stdout.write(text);
  if (values.json) writeFileSync(values.json, text);
});
