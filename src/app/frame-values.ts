/**
 * The frame step's two uses of tensors on the page, kept out of Teachable so that its frame step works on numbers
 * alone (the numbers may come from the frame embedder's worker, src/pipeline/frame-embedding.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { DenseHead, DenseHeadPrediction } from '../classifier/dense-head/dense-head';
import type { Embedder, Pixels } from '../models/embedder';

/** The embedding of `pixels` by `embedder`, on the page, read once; no tensor is left behind. */
export function embedOnPage(embedder: Embedder, pixels: Pixels): Float32Array {
  const embedding = embedder.embed(pixels);
  try {
    return embedding.dataSync<'float32'>();
  } finally {
    embedding.dispose();
  }
}

/**
 * The head's prediction of one embedding's numbers. The head's tensor work runs before its first await, so the
 * tensor made of them can go at once (and a head disposed later in the frame is not used).
 */
export function predictDense(head: DenseHead, values: Float32Array): Promise<DenseHeadPrediction> {
  const embedding = tf.tensor1d(values);
  try {
    return head.predict(embedding);
  } finally {
    embedding.dispose();
  }
}
