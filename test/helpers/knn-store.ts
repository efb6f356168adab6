import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../src/platform/backend';
import { KnnClassifier, type KnnPrediction } from '../../src/classifier/knn/knn';
import type { VoteOptions } from '../../src/classifier/knn/vote';

/**
 * Gives each test of the enclosing describe a new KnnClassifier (on the wasm backend, as the app runs it) through
 * `use`, and disposes it after the test.
 */
export function freshStoreEachTest(use: (classifier: KnnClassifier) => void): void {
  let classifier: KnnClassifier | null = null;
  before(async () => {
    await useBackend('wasm');
  });
  beforeEach(() => {
    classifier = new KnnClassifier();
    use(classifier);
  });
  afterEach(() => classifier?.dispose());
}

/** Adds `vector` to `classId` as the app does: the numbers read once from the embedding's tensor. */
export function addFromTensor(classifier: KnnClassifier, classId: string, vector: number[]): void {
  const t = tf.tensor1d(vector);
  try {
    classifier.addExample(classId, t.dataSync<'float32'>());
  } finally {
    t.dispose();
  }
}

/** Predicts `query` as the app does: the numbers read once from the embedding's tensor. */
export async function predictFromTensor(classifier: KnnClassifier, query: number[], classIds: string[], options: VoteOptions): Promise<KnnPrediction> {
  const t = tf.tensor1d(query);
  try {
    return await classifier.predict(t.dataSync<'float32'>(), classIds, options);
  } finally {
    t.dispose();
  }
}
