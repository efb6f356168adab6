/**
 * How well the app's "none of these" works on one draw: the app's KnnClassifier and its calibration
 * (src/classifier/knn/unknown.ts) at a given sensitivity, as Teachable runs them. Known test images called unknown
 * are false unknowns; images of classes that were never taught and are called unknown are caught.
 */
import type * as tf from '@tensorflow/tfjs';
import { KnnClassifier } from '../../src/classifier/knn/knn';
import { calibrateUnknown, isUnknownVote, unknownRule, type UnknownRule } from '../../src/classifier/knn/unknown';
import { DEFAULT_VOTE } from '../../src/classifier/knn/vote';
import { addAll } from './methods';

export interface UnknownRates {
  /** Fraction of the never-taught images called unknown. */
  readonly caught: number;
  /** Fraction of the taught classes' test images called unknown. */
  readonly falseUnknown: number;
}

async function unknownFraction(knn: KnnClassifier, classIds: readonly string[], rule: UnknownRule, queries: readonly tf.Tensor1D[]): Promise<number> {
  let unknown = 0;
  for (const x of queries) {
    const prediction = await knn.predict(x.dataSync<'float32'>(), classIds, DEFAULT_VOTE);
    if (prediction.classId !== null && isUnknownVote(prediction.votes, prediction.classId, rule)) unknown++;
  }
  return queries.length ? unknown / queries.length : 0;
}

export async function unknownRates(
  train: ReadonlyMap<string, readonly Float32Array[]>,
  known: readonly tf.Tensor1D[],
  unknown: readonly tf.Tensor1D[],
  sensitivity: number,
): Promise<UnknownRates> {
  const knn = new KnnClassifier();
  try {
    addAll(train, (classId, x) => knn.addExample(classId, x.dataSync<'float32'>()));
    const classIds = [...train.keys()];
    const dim = knn.dimension ?? 0;
    // The stored (unit) rows, read back as Teachable reads them for its calibration.
    const vectors = await Promise.all(classIds.map((id) => knn.readClassVectors(id)));
    const rule = unknownRule(calibrateUnknown({ classIds, vectors, dim }, { vote: DEFAULT_VOTE }), sensitivity);
    return { caught: await unknownFraction(knn, classIds, rule, unknown), falseUnknown: await unknownFraction(knn, classIds, rule, known) };
  } finally {
    knn.dispose();
  }
}
