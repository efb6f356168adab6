/**
 * The page of scripts/measure-kernels.mjs: the app's hand-written kernels against what tfjs and the browser offer.
 * - runDenseCompare: the dense head's training in a worker, the app's kernels against tfjs layers + Adam on the
 *   wasm and cpu backends (dense-compare-worker.ts), interleaved, on the bench's synthetic clusters or real
 *   embeddings.
 * - runCropCompare: the centre crop of a new camera frame (each step waits for one with requestVideoFrameCallback)
 *   by FrameGrabber.grabVideo (the YUV kernel), FrameGrabber.grab (drawn), createImageBitmap with a resize, and
 *   drawImage of a VideoFrame on an OffscreenCanvas; then, with the real model, each one's embedding against the
 *   drawn crop's on the same frames.
 */
import { median } from '../../src/platform/backend';
import { DEFAULT_DENSE_SETTINGS, type DenseHeadSettings } from '../../src/classifier/dense-head/dense-head-training';
import { inputScale } from '../../src/classifier/dense-head/dense-head-training';
import type { TrainingData } from '../../src/classifier/training-data';
import { centreSquare, FrameGrabber } from '../../src/camera/frame';
import { SquareScaler } from '../../src/camera/frame-scale';
import { cosine } from '../../src/platform/cosine.mjs';
import { INPUT_SIZE } from '../../src/models/catalog';
import { startFakeCamera } from '../../bench/page/camera';
import { mulberry32 } from './sampling';
import { progress, setUp } from './setup';
import type { CompareReply, CompareRequest } from './dense-compare-worker';

type Way = 'kernels' | 'tfjs-wasm' | 'tfjs-cpu' | 'tfjs-loop-wasm';

export interface DenseCompareJob {
  /** 'synthetic': bench/page/dense.ts's clusters; else image URLs per class (first `perClass` train, rest test). */
  readonly source: 'synthetic' | { readonly train: readonly (readonly string[])[]; readonly test: readonly (readonly string[])[] };
  readonly classes: number;
  readonly perClass: number;
  readonly dim: number;
  readonly settings: Partial<DenseHeadSettings>;
  readonly runs: number;
  readonly ways: readonly Way[];
}

function worker(): Worker {
  return new Worker(new URL('./dense-compare-worker.ts', import.meta.url), { type: 'module' });
}

function ask(target: Worker, request: CompareRequest): Promise<CompareReply> {
  return new Promise((resolve, reject) => {
    target.onmessage = (event: MessageEvent<CompareReply | { error: string }>) => {
      if ('error' in event.data) reject(new Error(event.data.error));
      else resolve(event.data);
    };
    target.postMessage(request);
  });
}

function syntheticVectors(classes: number, perClass: number, dim: number): Float32Array[] {
  const random = mulberry32(7);
  return Array.from({ length: classes }, () => {
    const centre = Float32Array.from({ length: dim }, () => random());
    const rows = new Float32Array(perClass * dim);
    for (let i = 0; i < rows.length; i++) rows[i] = centre[i % dim] + 0.3 * random();
    return rows;
  });
}

async function embedImages(urls: readonly string[], embed: (image: HTMLImageElement) => Promise<Float32Array>, dim: number): Promise<Float32Array> {
  const rows = new Float32Array(urls.length * dim);
  for (const [i, url] of urls.entries()) {
    const image = new Image();
    image.src = url;
    await image.decode();
    rows.set(await embed(image), i * dim);
  }
  return rows;
}

export async function runDenseCompare(job: DenseCompareJob) {
  const settings: DenseHeadSettings = { ...DEFAULT_DENSE_SETTINGS, ...job.settings };
  let vectors: Float32Array[];
  let dim = job.dim;
  let test: CompareRequest['test'] = null;
  if (job.source === 'synthetic') {
    vectors = syntheticVectors(job.classes, job.perClass, dim);
  } else {
    const setup = await setUp('wasm', 'mobilenet-v2-0.35');
    if ('error' in setup) return setup;
    dim = setup.embedder.spec.embeddingDim;
    const grabber = new FrameGrabber();
    const embed = async (image: HTMLImageElement) => {
      const tensor = setup.embedder.embed(grabber.grab(image, false)!);
      const data = (await tensor.data()) as Float32Array;
      tensor.dispose();
      return data;
    };
    progress('embedding the real frames');
    vectors = [];
    for (const urls of job.source.train) vectors.push(await embedImages(urls, embed, dim));
    const testRows: number[] = [];
    const testLabels: number[] = [];
    const scale = inputScale(dim);
    for (const [c, urls] of job.source.test.entries()) {
      const rows = await embedImages(urls, embed, dim);
      for (let r = 0; r < urls.length; r++) {
        const row = rows.subarray(r * dim, (r + 1) * dim);
        const norm = Math.hypot(...row) + 1e-12;
        for (const x of row) testRows.push((x * scale) / norm);
        testLabels.push(c);
      }
    }
    test = { rows: Float32Array.from(testRows), labels: Int32Array.from(testLabels) };
  }
  const data: TrainingData = { classIds: vectors.map((_, i) => `class-${i}`), vectors, dim };
  const workers = new Map<Way, Worker>(job.ways.map((way) => [way, worker()]));
  const wasmBase = new URL('/tfjs-wasm/', location.href).href;
  const results = new Map<Way, CompareReply[]>(job.ways.map((way) => [way, []]));
  try {
    // One untimed training per way first (compiling, the backend's start), then rotate the order each run.
    for (let run = -1; run < job.runs; run++) {
      const order = job.ways.map((_, i) => job.ways[(i + Math.max(run, 0)) % job.ways.length]);
      for (const way of order) {
        const request: CompareRequest = {
          way: way === 'kernels' ? 'kernels' : way === 'tfjs-loop-wasm' ? 'tfjs-loop' : 'tfjs',
          backend: way === 'tfjs-cpu' ? 'cpu' : 'wasm',
          wasmBase,
          data,
          settings: { ...settings, seed: settings.seed + Math.max(run, 0) },
          test,
        };
        const reply = await ask(workers.get(way)!, request);
        progress(`  ${run < 0 ? 'warm-up' : `run ${run + 1}`} ${way}: ${reply.ms.toFixed(0)} ms, ${reply.epochs} epochs (kept ${reply.keptEpoch}), loss ${reply.finalLoss.toFixed(4)}, test ${reply.testAccuracy?.toFixed(3) ?? '-'}, ${reply.backend}, tensors left ${reply.tensorsLeft}`);
        if (run >= 0) results.get(way)!.push(reply);
      }
    }
  } finally {
    for (const w of workers.values()) w.terminate();
  }
  return Object.fromEntries(
    [...results].map(([way, replies]) => [
      way,
      {
        median_ms: median(replies.map((r) => r.ms)),
        ms: replies.map((r) => Math.round(r.ms)),
        epochs: replies.map((r) => r.epochs),
        kept_epochs: replies.map((r) => r.keptEpoch),
        test_accuracy: replies.map((r) => r.testAccuracy),
        backend: replies[0]?.backend,
        tensors_left: replies.map((r) => r.tensorsLeft),
      },
    ]),
  );
}

export interface CropCompareJob {
  readonly runs: number;
  readonly warmup: number;
  /** Frames whose embeddings are compared with the drawn crop's (0: none). */
  readonly cosineFrames: number;
}

type Crop = (video: HTMLVideoElement) => Promise<ImageData | null>;

function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve()));
}

function mirroredContext(canvas: HTMLCanvasElement | OffscreenCanvas): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D {
  const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  context.translate(INPUT_SIZE, 0);
  context.scale(-1, 1);
  return context;
}

/** The crops compared: each from the video (timing) and from one VideoFrame (closeness). */
function crops(): Record<string, { fromVideo: Crop; fromFrame: (frame: VideoFrame) => Promise<ImageData | null> }> {
  const grabber = new FrameGrabber();
  const bitmapCanvas = Object.assign(document.createElement('canvas'), { width: INPUT_SIZE, height: INPUT_SIZE });
  const bitmapContext = mirroredContext(bitmapCanvas);
  const offscreen = new OffscreenCanvas(INPUT_SIZE, INPUT_SIZE);
  const offscreenContext = mirroredContext(offscreen);
  const drawnCanvas = Object.assign(document.createElement('canvas'), { width: INPUT_SIZE, height: INPUT_SIZE });
  const drawnContext = mirroredContext(drawnCanvas);
  const square = (width: number, height: number) => centreSquare(width, height);
  const viaBitmap = (quality: ResizeQuality) => async (source: HTMLVideoElement | VideoFrame) => {
    const width = source instanceof HTMLVideoElement ? source.videoWidth : source.displayWidth;
    const height = source instanceof HTMLVideoElement ? source.videoHeight : source.displayHeight;
    const { sx, sy, size } = square(width, height);
    const bitmap = await createImageBitmap(source, sx, sy, size, size, { resizeWidth: INPUT_SIZE, resizeHeight: INPUT_SIZE, resizeQuality: quality });
    bitmapContext.drawImage(bitmap, 0, 0);
    bitmap.close();
    return bitmapContext.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE);
  };
  const drawFrame = (context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, frame: VideoFrame) => {
    const { sx, sy, size } = square(frame.displayWidth, frame.displayHeight);
    context.drawImage(frame, sx, sy, size, size, 0, 0, INPUT_SIZE, INPUT_SIZE);
    return context.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE);
  };
  // The crop copied out of the frame as RGBA by the browser (only the square is converted), then scaled.
  let scaler: SquareScaler | null = null;
  const rgbaSquare = async (frame: VideoFrame) => {
    const { sx, sy, size } = square(frame.displayWidth, frame.displayHeight);
    if (scaler?.size !== size) scaler = new SquareScaler(size, INPUT_SIZE, true);
    await frame.copyTo(scaler.input, { rect: { x: sx, y: sy, width: size, height: size }, format: 'RGBA', colorSpace: 'srgb' });
    return { scaler, size };
  };
  const viaRgbaKernel = async (frame: VideoFrame) => {
    const { scaler: s } = await rgbaSquare(frame);
    s.scale();
    return new ImageData(s.output, INPUT_SIZE, INPUT_SIZE);
  };
  const viaRgbaBitmap = async (frame: VideoFrame) => {
    const { scaler: s, size } = await rgbaSquare(frame);
    const square = new ImageData(new Uint8ClampedArray(s.input.buffer as ArrayBuffer, s.input.byteOffset, size * size * 4), size, size);
    const bitmap = await createImageBitmap(square, { resizeWidth: INPUT_SIZE, resizeHeight: INPUT_SIZE, resizeQuality: 'medium' });
    bitmapContext.drawImage(bitmap, 0, 0);
    bitmap.close();
    return bitmapContext.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE);
  };
  const fromVideo = (crop: (frame: VideoFrame) => Promise<ImageData>) => async (video: HTMLVideoElement) => {
    const frame = new VideoFrame(video);
    try {
      return await crop(frame);
    } finally {
      frame.close();
    }
  };
  return {
    'copyTo RGBA + scale kernel': { fromVideo: fromVideo(viaRgbaKernel), fromFrame: viaRgbaKernel },
    'copyTo RGBA + createImageBitmap medium': { fromVideo: fromVideo(viaRgbaBitmap), fromFrame: viaRgbaBitmap },
    'kernel (grabVideo)': { fromVideo: (video) => grabber.grabVideo(video, true), fromFrame: (frame) => grabber.grabFrame(frame, true) },
    'drawn (grab)': {
      fromVideo: (video) => Promise.resolve(grabber.grab(video, true)),
      fromFrame: (frame) => Promise.resolve(drawFrame(drawnContext, frame)),
    },
    'createImageBitmap low': { fromVideo: viaBitmap('low'), fromFrame: viaBitmap('low') },
    'createImageBitmap medium': { fromVideo: viaBitmap('medium'), fromFrame: viaBitmap('medium') },
    'createImageBitmap high': { fromVideo: viaBitmap('high'), fromFrame: viaBitmap('high') },
    'VideoFrame on OffscreenCanvas': {
      fromVideo: (video) => {
        const frame = new VideoFrame(video);
        try {
          return Promise.resolve(drawFrame(offscreenContext, frame));
        } finally {
          frame.close();
        }
      },
      fromFrame: (frame) => Promise.resolve(drawFrame(offscreenContext, frame)),
    },
  };
}

/**
 * A 4:2:0 frame that does not state its matrix (a file played as the camera), as the same bytes stating BT.601
 * limited range, as cameras' frames do: so the kernel converts it rather than handing it to the browser, and the
 * drawn crop it is compared with converts the same bytes the same way.
 */
async function declaredBt601(frame: VideoFrame): Promise<VideoFrame> {
  if (frame.colorSpace.matrix || frame.format !== 'I420') return frame;
  const bytes = new Uint8Array(frame.allocationSize());
  const layout = await frame.copyTo(bytes);
  const declared = new VideoFrame(bytes, {
    format: 'I420',
    codedWidth: frame.codedWidth,
    codedHeight: frame.codedHeight,
    timestamp: frame.timestamp,
    layout,
    colorSpace: { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false },
  });
  frame.close();
  return declared;
}

export async function runCropCompare(job: CropCompareJob) {
  const camera = await startFakeCamera();
  const { video } = camera;
  const ways = crops();
  const names = Object.keys(ways);
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  try {
    for (let step = 0; step < (job.warmup + job.runs) * names.length; step++) {
      const name = names[step % names.length];
      await nextFrame(video);
      const start = performance.now();
      const pixels = await ways[name].fromVideo(video);
      const ms = performance.now() - start;
      if (!pixels) throw new Error(`${name} gave no pixels`);
      if (step >= job.warmup * names.length) times.get(name)!.push(ms);
    }
    const timing = Object.fromEntries(names.map((name) => [name, { median_ms: median(times.get(name)!), runs: times.get(name)!.length }]));
    progress(`crop timings: ${JSON.stringify(timing)}`);
    if (job.cosineFrames === 0) return { source: `${video.videoWidth} x ${video.videoHeight}`, timing };
    const setup = await setUp('wasm', 'mobilenet-v2-0.35');
    if ('error' in setup) return { timing, cosine: setup };
    const embed = async (pixels: ImageData) => {
      const tensor = setup.embedder.embed(pixels);
      const data = (await tensor.data()) as Float32Array;
      tensor.dispose();
      return data;
    };
    const cosines = new Map<string, number[]>(names.map((name) => [name, []]));
    const formats = new Set<string>();
    for (let i = 0; i < job.cosineFrames; i++) {
      await nextFrame(video);
      const frame = await declaredBt601(new VideoFrame(video));
      formats.add(`${frame.format} ${frame.colorSpace.matrix ?? '?'} ${frame.colorSpace.fullRange ? 'full' : 'limited'}`);
      try {
        const drawn = await embed((await ways['drawn (grab)'].fromFrame(frame))!);
        for (const name of names) cosines.get(name)!.push(cosine(drawn, await embed((await ways[name].fromFrame(frame))!)));
      } finally {
        frame.close();
      }
    }
    const closeness = Object.fromEntries(
      names.map((name) => {
        const sorted = [...cosines.get(name)!].sort((a, b) => a - b);
        return [name, { median: sorted[sorted.length >> 1], lowest: sorted[0] }];
      }),
    );
    setup.embedder.dispose();
    return { source: `${video.videoWidth} x ${video.videoHeight}`, formats: [...formats], timing, closeness };
  } finally {
    camera.stop();
  }
}

Object.assign(window, { runDenseCompare, runCropCompare });
