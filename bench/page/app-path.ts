/**
 * The app's frame path, end to end: a frame of a playing camera <video> -> FramePipeline.step (FrameGrabber.grabVideo,
 * mirrored as for a webcam, then Teachable.processFrame: embed, maybe record, k-NN vote, steady stream) ->
 * <tm-confidence-bars> re-rendered from the stream, as components/tm-app.ts does it. Measures (a) one such frame against the embedding alone and (b) the tensors
 * left behind after thousands of frames (the Node side reads the JS heap around that run).
 */
import * as tf from '@tensorflow/tfjs';
import '../../components/tm-confidence-bars';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import type { BackendName } from '../../src/platform/backend';
import { FrameGrabber } from '../../src/camera/frame';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import { Embedder } from '../../src/models/embedder';
import { Teachable } from '../../src/app/teachable';
import { FramePipeline } from '../../src/pipeline/frame-pipeline';
import { barValues } from '../../src/pipeline/prediction-stream';
import { mulberry32 } from '../../scripts/eval/sampling';
import { progress, setUp, type PageFailure } from '../../scripts/eval/setup';
import { startFakeCamera, type FakeCamera } from './camera';
import { loadCorpus, storeData, type DataKind } from './distributions';
import { interleaved } from './timing';

export interface AppPathJob {
  readonly backend: BackendName;
  /** Stored examples, spread evenly over `classes`. */
  readonly examples: number;
  readonly classes: number;
  /**
   * What the stored examples are (bench/page/distributions.ts). 'random' records them through the app's own path
   * with a stand-in network (see fillerNetwork); the others are imported, as a dataset file would be.
   */
  readonly data: DataKind;
  /** Where the real embeddings are (bench/corpus.mjs), or null. */
  readonly corpus: string | null;
}

export interface FrameJob {
  readonly runs: number;
  readonly warmup: number;
  /** Also time the crop alone (it does not depend on the stored examples). */
  readonly crops: boolean;
}

export interface FrameResult {
  readonly data: DataKind;
  readonly model: string;
  readonly backend: string;
  readonly examples: number;
  readonly classes: number;
  /** Median ms from a playing video to updated bars. */
  readonly ms: number;
  /** Where the frame path embedded the frames: 'worker' (src/pipeline/frame-embedding.ts) or 'page'. */
  readonly embedded_in: string;
  /** Median ms of Embedder.embed on a 224 x 224 ImageData, read back: the embedding alone. */
  readonly embed_ms: number;
  readonly p90_ms: number;
  readonly embed_p90_ms: number;
  /** Median ms of the crop alone on a new camera frame: FrameGrabber.grabVideo, which the app uses ... */
  readonly crop_ms?: number;
  /** ... and FrameGrabber.grab, drawing the video, which it used before. */
  readonly crop_drawn_ms?: number;
  readonly runs: number;
  readonly video: string;
}

export interface LeakJob {
  readonly frames: number;
  /** Every this many frames, the frame is also recorded (as while a class button is held). */
  readonly recordEvery: number;
}

export interface TensorCount {
  readonly tensors: number;
  readonly bytes: number;
}

export interface LeakRun extends TensorCount {
  readonly frames: number;
  readonly recorded: number;
  /** The bytes the recorded examples themselves hold: tensor bytes should grow by this and no more. */
  readonly recorded_examples_bytes: number;
  readonly seconds: number;
}

interface AppPath {
  readonly teachable: Teachable;
  readonly embedder: Embedder;
  /** The cheap stand-in with the real model's id (see fillerNetwork). */
  readonly filler: Embedder;
  readonly frames: FramePipeline;
  /** For the crop alone. */
  readonly grabber: FrameGrabber;
  readonly bars: TmConfidenceBars;
  readonly camera: FakeCamera;
  readonly backend: string;
  readonly examples: number;
  readonly data: DataKind;
}

let app: AppPath | null = null;

/**
 * A cheap stand-in network with the real model's id and output size, used only to record the stored examples
 * through the app's own record path (processFrame with a class) in seconds rather than a minute. The vectors it
 * makes cost the same to store and search as real embeddings.
 */
function fillerNetwork(dim: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.averagePooling2d({ inputShape: [224, 224, 3], poolSize: 32, strides: 32 }));
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({ units: dim, activation: 'relu', kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }) }),
  );
  return model;
}

function noisePixels(random: () => number, size = 8): ImageData {
  const image = new ImageData(size, size);
  for (let i = 0; i < image.data.length; i++) image.data[i] = i % 4 === 3 ? 255 : Math.floor(random() * 256);
  return image;
}

export async function setUpAppPath(job: AppPathJob): Promise<{ backend: string } | PageFailure> {
  const spec = findModel(DEFAULT_MODEL_ID)!;
  const setup = await setUp(job.backend, spec.id);
  if ('error' in setup) return setup;
  let camera: FakeCamera;
  try {
    camera = await startFakeCamera();
  } catch (error) {
    setup.embedder.dispose();
    return { error: `no camera video: ${error instanceof Error ? error.message : String(error)}` };
  }
  const teachable = new Teachable(job.classes);
  const filler = new Embedder(spec, fillerNetwork(spec.embeddingDim));
  const random = mulberry32(job.examples);
  if (job.data === 'random') {
    teachable.setEmbedder(filler);
    for (let i = 0; i < job.examples; i++) {
      await teachable.processFrame(noisePixels(random), teachable.classes[i % job.classes].id);
    }
  } else {
    const { rows } = storeData(job.data, job.examples, job.classes, spec.embeddingDim, await loadCorpus(job.corpus));
    const classes = rows.map((vectors, c) => ({ label: `Class ${c + 1}`, color: null, vectors, thumbnails: [] }));
    teachable.importDataset({ model: spec.id, dimension: spec.embeddingDim, classes }, { mode: 'replace' });
  }
  teachable.setEmbedder(setup.embedder);
  // A frame with nothing recorded starts the k-NN store's refit of its space (and the calibration): let both
  // finish before anything is timed.
  await teachable.processFrame(noisePixels(random, 224), null);
  await teachable.settled();
  await teachable.recalibrate();
  const bars = document.createElement('tm-confidence-bars');
  document.body.append(bars);
  const frames = new FramePipeline(teachable);
  // The first frame starts the worker that embeds frames where one can run the model: it is ready before any timing.
  await frames.step(camera.video, true, null);
  await frames.embedding.ready();
  app = { teachable, embedder: setup.embedder, filler, frames, grabber: new FrameGrabber(), bars, camera, backend: setup.backend, examples: job.examples, data: job.data };
  progress(`app path: ${spec.id} on ${setup.backend}, ${job.examples} stored examples (${job.data}) in ${job.classes} classes, frames embedded: ${frames.embedding.stateFor(setup.embedder)}`);
  return { backend: setup.backend };
}

function requireApp(): AppPath {
  if (!app) throw new Error('setUpAppPath has not run on this page');
  return app;
}

/** One frame as the app handles it, from the live video to the re-rendered bars. */
async function frameStep(path: AppPath, recordTo: string | null): Promise<void> {
  const result = await path.frames.step(path.camera.video, true, recordTo);
  if (!result) throw new Error('the video has no frame');
  const detail = result.stream?.prediction ?? null;
  path.bars.bars = barValues(detail, path.teachable.classes, false);
  path.bars.topClassId = detail?.classId ?? null;
  await path.bars.updateComplete;
}

export async function runFrame(job: FrameJob): Promise<FrameResult> {
  const path = requireApp();
  const still = path.grabber.grab(path.camera.video, false)!;
  const { video } = path.camera;
  // Each step starts on a new camera frame, as the app's loop does: a frame the browser has already converted
  // would be cheaper to crop than any frame the app sees.
  const newFrame = () => new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
  const timings = await interleaved(
    job.runs,
    job.warmup,
    {
      frame: () => frameStep(path, null),
      embed: async () => {
        const embedding = path.embedder.embed(still);
        await embedding.data();
        embedding.dispose();
      },
    },
    newFrame,
  );
  const crops = job.crops
    ? await interleaved(
        job.runs,
        job.warmup,
        {
          copied: () => path.grabber.grabVideo(video, true),
          drawn: async () => path.grabber.grab(video, true),
        },
        newFrame,
      )
    : null;
  return {
    data: path.data,
    model: path.embedder.spec.id,
    backend: path.backend,
    examples: path.examples,
    classes: path.teachable.classes.length,
    ms: timings.frame.median_ms,
    embedded_in: path.frames.embedding.stateFor(path.embedder),
    embed_ms: timings.embed.median_ms,
    p90_ms: timings.frame.p90_ms,
    embed_p90_ms: timings.embed.p90_ms,
    crop_ms: crops?.copied.median_ms,
    crop_drawn_ms: crops?.drawn.median_ms,
    runs: job.runs,
    video: `${video.videoWidth} x ${video.videoHeight} fake camera`,
  };
}

const tensorCount = (): TensorCount => ({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });

/** Frames the leak warm-up records into each class (the newest 200 were all a class kept of its frames once). */
const WARM_UP_FRAMES_PER_CLASS = 200;

/**
 * Warm-up before the leak run: every class gets WARM_UP_FRAMES_PER_CLASS examples with their frames (recorded through
 * the cheap stand-in network, as that takes seconds rather than a minute) and every lazily made buffer exists, so
 * what grows afterwards is what keeps growing (each recorded example's vector and frame grow with it by design).
 */
export async function warmUpLeak(job: { readonly fillThumbnails: boolean }): Promise<TensorCount> {
  const path = requireApp();
  const classes = path.teachable.classes;
  path.teachable.setEmbedder(path.filler);
  const fill = job.fillThumbnails ? WARM_UP_FRAMES_PER_CLASS * classes.length : 0;
  for (let i = 0; i < fill; i++) await frameStep(path, classes[i % classes.length].id);
  path.teachable.setEmbedder(path.embedder);
  for (let i = 0; i < 50; i++) await frameStep(path, classes[i % classes.length].id);
  for (let i = 0; i < 50; i++) await frameStep(path, null);
  return tensorCount();
}

/** `frames` frames through the app's path, every `recordEvery`-th one recorded to the next class in turn. */
export async function runLeak(job: LeakJob): Promise<LeakRun> {
  const path = requireApp();
  const classes = path.teachable.classes;
  const started = performance.now();
  let recorded = 0;
  for (let i = 0; i < job.frames; i++) {
    const record = i % job.recordEvery === job.recordEvery - 1;
    await frameStep(path, record ? classes[recorded++ % classes.length].id : null);
    if (i % 1000 === 999) progress(`  leak: ${i + 1} of ${job.frames} frames`);
  }
  return {
    frames: job.frames,
    recorded,
    recorded_examples_bytes: recorded * path.embedder.spec.embeddingDim * 4,
    seconds: (performance.now() - started) / 1000,
    ...tensorCount(),
  };
}

export function tearDownAppPath(): void {
  if (!app) return;
  app.camera.stop();
  app.bars.remove();
  void app.frames.dispose();
  app.teachable.dispose();
  app.embedder.dispose();
  app.filler.dispose();
  app = null;
}
