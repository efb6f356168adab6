/**
 * The speed page: times, on one backend and model, (a) the app's Embedder on a 224 x 224 ImageData and (b) the
 * app's whole frame step: FrameGrabber from a playing <video>, embed, KnnClassifier.predict over `examples`
 * stored examples.
 */
import * as tf from '@tensorflow/tfjs';
import { median, type BackendName } from '../../src/platform/backend';
import { KnnClassifier } from '../../src/classifier/knn/knn';
import { FrameGrabber, type FrameSourceElement } from '../../src/camera/frame';
import { progress, setUp, type PageFailure } from './setup';

export interface MeasureJob {
  readonly model: string;
  readonly backend: BackendName;
  readonly runs: number;
  readonly warmup: number;
  readonly examples: number;
  readonly classes: number;
}

export interface Timing {
  readonly medianMs: number;
  readonly p90Ms: number;
}

export interface MeasureResult {
  readonly backend: string;
  /** What frames were grabbed from: a playing video when it started, else the canvas behind it. */
  readonly source: 'video' | 'canvas';
  readonly embed: Timing;
  readonly frame: Timing;
}

async function time(runs: number, warmup: number, step: () => Promise<void>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: median(times), p90Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] };
}

/**
 * A 640 x 480 webcam stand-in: a canvas that keeps changing, played through a <video> as a camera stream would be.
 * Falls back to the canvas itself if the video does not start.
 */
async function frameSource(): Promise<{ source: FrameSourceElement; kind: 'video' | 'canvas'; stop: () => void }> {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  const context = canvas.getContext('2d')!;
  let tick = 0;
  const paint = () => {
    tick++;
    const gradient = context.createLinearGradient(0, 0, 640, 480);
    gradient.addColorStop(0, `hsl(${tick % 360}, 60%, 50%)`);
    gradient.addColorStop(1, `hsl(${(tick + 180) % 360}, 60%, 30%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, 640, 480);
    context.fillStyle = '#fff';
    context.fillRect(200 + (tick % 100), 150, 160, 200);
  };
  paint();
  const timer = setInterval(paint, 33);
  const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true });
  video.srcObject = canvas.captureStream(30);
  document.body.append(video);
  const stop = () => {
    clearInterval(timer);
    video.remove();
  };
  try {
    await Promise.race([video.play(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000))]);
    for (let i = 0; i < 50 && !video.videoWidth; i++) await new Promise((done) => setTimeout(done, 100));
    if (video.videoWidth) return { source: video, kind: 'video', stop };
  } catch {
    // Reported as source 'canvas' in the result.
  }
  return { source: canvas, kind: 'canvas', stop };
}

async function runMeasure(job: MeasureJob): Promise<MeasureResult | PageFailure> {
  const setup = await setUp(job.backend, job.model);
  if ('error' in setup) return setup;
  const { embedder, backend } = setup;
  progress(`${job.model} on ${backend}`);
  const { source, kind, stop } = await frameSource();
  const grabber = new FrameGrabber();

  const still = grabber.grab(source, false)!;
  const embed = await time(job.runs, job.warmup, async () => {
    const embedding = embedder.embed(still);
    await embedding.data();
    embedding.dispose();
  });

  // Random unit-free vectors stand in for recorded examples: the search costs the same whatever they hold.
  const knn = new KnnClassifier();
  const classIds = Array.from({ length: job.classes }, (_, i) => `class-${i + 1}`);
  for (let i = 0; i < job.examples; i++) {
    const example = tf.randomNormal([embedder.spec.embeddingDim], 0, 1, 'float32', i);
    knn.addExample(classIds[i % job.classes], example.dataSync<'float32'>());
    example.dispose();
  }
  // Mirrored, as the app grabs webcam frames.
  const frame = await time(job.runs, job.warmup, async () => {
    const pixels = grabber.grab(source, true)!;
    const embedding = embedder.embed(pixels);
    await knn.predict(embedding.dataSync<'float32'>(), classIds);
    embedding.dispose();
  });

  stop();
  knn.dispose();
  embedder.dispose();
  return { backend, source: kind, embed, frame };
}

declare global {
  interface Window {
    runMeasure?: typeof runMeasure;
  }
}
window.runMeasure = runMeasure;
