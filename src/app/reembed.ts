/**
 * Re-embeds a dataset's thumbnails with another model, so a file made with one network can be used with
 * another. Browser only (it decodes images); the dataset module itself stays DOM-free.
 */
import * as tf from '@tensorflow/tfjs';
import { decodeDataUrl } from '../dataset/data-url';
import type { Dataset } from '../dataset';
import type { Embedder } from '../models/embedder';

export interface ReembedProgress {
  readonly done: number;
  readonly total: number;
}

/** How many thumbnails go through the network at once. */
const BATCH = 16;

/** True when re-embedding would give at least one example. */
export function hasThumbnails(dataset: Dataset): boolean {
  return dataset.classes.some((c) => c.thumbnails.length > 0);
}

/**
 * A copy of `dataset` whose vectors are `embedder`'s embeddings of its thumbnails (one example per thumbnail;
 * a class without thumbnails keeps its label with no examples), for `embedder`'s model.
 * Thumbnails are small (64 x 64 by default), so expect somewhat lower accuracy than from camera frames.
 * Aborting `signal` stops it before the next batch (the promise rejects with the reason).
 */
export async function reembedThumbnails(
  dataset: Dataset,
  embedder: Embedder,
  onProgress?: (progress: ReembedProgress) => void,
  signal?: AbortSignal,
): Promise<Dataset> {
  const dimension = embedder.spec.embeddingDim;
  const total = dataset.classes.reduce((sum, c) => sum + c.thumbnails.length, 0);
  let done = 0;
  const classes = [];
  for (const [index, c] of dataset.classes.entries()) {
    const vectors = new Float32Array(c.thumbnails.length * dimension);
    for (let start = 0; start < c.thumbnails.length; start += BATCH) {
      signal?.throwIfAborted();
      const urls = c.thumbnails.slice(start, start + BATCH);
      const images = await decodeAll(urls, (i) => `classes[${index}], thumbnail ${start + i}`);
      const embedded = tf.tidy(() => {
        const pixels = images.map((image) => tf.image.resizeBilinear(tf.browser.fromPixels(image), [224, 224]));
        return embedder.embedBatch(tf.stack(pixels) as tf.Tensor4D);
      });
      images.forEach((image) => image.close());
      vectors.set((await embedded.data()) as Float32Array, start * dimension);
      embedded.dispose();
      done += urls.length;
      onProgress?.({ done, total });
    }
    classes.push({ ...c, vectors });
  }
  return { model: embedder.spec.id, dimension, classes };
}

/** Decodes every URL, or none: on a failure the bitmaps already made are released. */
async function decodeAll(urls: readonly string[], where: (i: number) => string): Promise<ImageBitmap[]> {
  const settled = await Promise.allSettled(urls.map((url, i) => decodeImage(url, where(i))));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<ImageBitmap>).value);
  settled.forEach((s) => s.status === 'fulfilled' && s.value.close());
  throw failed.reason;
}

async function decodeImage(url: string, where: string): Promise<ImageBitmap> {
  const { type, bytes } = decodeDataUrl(url);
  try {
    return await createImageBitmap(new Blob([bytes], { type }));
  } catch {
    throw new Error(`${where}: the image could not be decoded.`);
  }
}
