// What `npm run bench` measures and how often. Repetitions are sized to each figure's cost: more for cheap,
// noisy ones (embed on wasm, k-NN predict), fewer for expensive ones (WebGL, dense training, cached start).

const MODELS = ['mobilenet-v2-0.35', 'mobilenet-v1-0.25', 'mobilenet-v2-1.0'];

export const FULL = {
  embed: {
    models: MODELS,
    // WebGL and WebGPU here run on SwiftShader (software); a backend that fails to start is reported as unavailable.
    backends: ['wasm', 'webgl', 'webgpu'],
    // The plain cpu backend is about 15x slower than wasm: only the smallest model is timed on it.
    cpuModels: ['mobilenet-v1-0.25'],
    runs: { wasm: 40, other: 8 },
    warmup: { wasm: 5, other: 2 },
  },
  // The first distribution is 'random' (recorded through the app's path); the frame's leak run shares its page.
  frame: { examples: 1000, classes: 10, runs: 100, warmup: 10, data: ['random', 'real', 'held'] },
  // Every 10th frame is recorded, as while a class button is held; the warm-up first fills every class's kept
  // thumbnails to their cap, so that bounded growth is not counted as a leak.
  leak: { frames: 5000, recordEvery: 10, fillThumbnails: true },
  // Random rows from 100 on; real embeddings and held-button runs (bench/page/distributions.ts) from 1,000 on.
  knn: {
    ns: [100, 1000, 10_000, 50_000],
    data: ['random', 'real', 'held'],
    minN: { real: 1000, held: 1000 },
    dim: 1280,
    classes: 10,
    runs: 20,
    warmup: 3,
    recordRuns: 10,
    recordWarmup: 2,
    // The store's kernels without WebAssembly SIMD (kernels-scalar.wat, forced): what an engine without SIMD pays.
    plain: { ns: [10_000], data: ['random', 'held'] },
  },
  dataset: { n: 10_000, dim: 1280, classes: 10, runs: 5 },
  dense: { classes: 10, perClass: 50, dim: 1280, epochs: 50, runs: 3 },
  start: { cachedRuns: 5 },
  // The production build at N held-button examples (bench/app-scale-frame.mjs); the first N is the reference.
  appScale: { ns: [100, 10_000, 50_000], classes: 10, settleSeconds: 5, seconds: 8, traceSeconds: 4, clicks: 10, recordMs: 1500, afterRecordMs: 4000 },
  // npm run predict against the packages used directly, in Node (bench/predict.mjs): photos of rock-paper-scissors.
  predict: { photos: 500, trainPerClass: 10, runs: 2, sameModel: true },
  // "Export as a web page"'s page, unzipped and served locally (bench/web-page.mjs): cold-cache first predictions.
  webPage: { runs: 7, trainPerClass: 10 },
  // The built app with held-button examples (bench/app-scale-storage.mjs): reload, export, import; then kills.
  scaleStorage: { ns: [10_000, 50_000], kills: 3 },
};

/** A smoke run for `npm test`: every section once, tiny. Its numbers mean nothing. */
export const QUICK = {
  embed: { models: ['mobilenet-v1-0.25'], backends: ['wasm'], cpuModels: [], runs: { wasm: 2, other: 1 }, warmup: { wasm: 1, other: 1 } },
  frame: { examples: 50, classes: 10, runs: 3, warmup: 1, data: ['random', 'held'] },
  leak: { frames: 30, recordEvery: 10, fillThumbnails: false },
  knn: { ns: [100], data: ['random', 'held'], minN: {}, dim: 1280, classes: 10, runs: 3, warmup: 1, recordRuns: 2, recordWarmup: 1, plain: { ns: [100], data: ['random'] } },
  dataset: { n: 200, dim: 1280, classes: 10, runs: 1 },
  dense: { classes: 10, perClass: 5, dim: 1280, epochs: 2, runs: 1 },
  start: { cachedRuns: 1 },
  appScale: { ns: [100], classes: 2, settleSeconds: 1, seconds: 2, traceSeconds: 1, clicks: 2, recordMs: 300, afterRecordMs: 500 },
  predict: { photos: 6, trainPerClass: 1, runs: 1, sameModel: false },
  webPage: { runs: 1, trainPerClass: 2 },
  // Not in the smoke run: it builds the app (a minute here) before anything is measured.
  scaleStorage: { ns: [], kills: 0 },
};

export const SECTIONS = ['embed', 'frame', 'knn', 'dataset', 'dense', 'leak', 'start', 'app-scale', 'scale-storage', 'predict', 'bundle', 'web-page', 'firefox'];
