/**
 * Embeds photos with the app's own path (FrameGrabber's centre crop, not mirrored, then the Embedder), for the
 * real-data distributions of bench/page/distributions.ts. The Node side (bench/corpus.mjs) caches the result.
 */
import * as tf from '@tensorflow/tfjs';
import { FrameGrabber } from '../../src/camera/frame';
import { progress, setUp, type PageFailure } from '../../scripts/eval/setup';

export interface CorpusJob {
  readonly model: string;
  /** Per class, the URLs of its photos. */
  readonly urls: Record<string, readonly string[]>;
}

const BATCH = 16;

async function loadBitmap(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return createImageBitmap(await response.blob());
}

/** Every class's embeddings, row after row, as base64 of their float32 bytes (the page has no Buffer). */
export async function embedCorpus(job: CorpusJob): Promise<{ dim: number; classes: Record<string, string> } | PageFailure> {
  const setup = await setUp('wasm', job.model);
  if ('error' in setup) return setup;
  const { embedder } = setup;
  const grabber = new FrameGrabber();
  const dim = embedder.spec.embeddingDim;
  const classes: Record<string, string> = {};
  try {
    for (const [label, urls] of Object.entries(job.urls)) {
      const flat = new Float32Array(urls.length * dim);
      for (let start = 0; start < urls.length; start += BATCH) {
        const bitmaps = await Promise.all(urls.slice(start, start + BATCH).map(loadBitmap));
        const frames = bitmaps.map((bitmap) => {
          const frame = grabber.grab(bitmap, false);
          bitmap.close();
          if (!frame) throw new Error('a photo has no pixels');
          return frame;
        });
        const batch = tf.tidy(() => embedder.embedBatch(tf.stack(frames.map((frame) => tf.browser.fromPixels(frame))) as tf.Tensor4D));
        flat.set((await batch.data()) as Float32Array, start * dim);
        batch.dispose();
      }
      progress(`  embedded ${urls.length} photos of ${label}`);
      const bytes = new Uint8Array(flat.buffer);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      classes[label] = btoa(binary);
    }
  } finally {
    embedder.dispose();
  }
  return { dim, classes };
}
