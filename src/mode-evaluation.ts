/**
 * Each mode measured on examples it did not learn from: the k-NN by cross-validation over the current model's
 * examples, the dense head on the validation examples it held out while training.
 */
import type { DenseHead } from './classifier/dense-head';
import { evaluateDenseHead, evaluateKnn, type Evaluation } from './classifier/evaluate';
import { exampleCount, type TrainingData } from './classifier/training-data';
import { trainingDataFor } from './head-trainer';
import type { ModelId } from './models/catalog';
import type { Teachable } from './teachable';

/** Folds when every class with examples has at least this many; otherwise leave-one-out. */
export const KNN_FOLDS = 5;

export interface ModeEvaluation {
  readonly evaluation: Evaluation;
  /** How the held-out examples were chosen, in words. */
  readonly method: string;
}

/** Either a measurement, or why there is none. */
export type EvaluationOutcome = { readonly result: ModeEvaluation } | { readonly problem: string };

/** k-fold with consecutive stretches when classes are big enough (more honest for near-copy webcam frames), else leave-one-out. */
export function knnFoldsFor(data: TrainingData): number | 'leave-one-out' {
  const counts = data.classIds.map((_, c) => exampleCount(data, c)).filter((n) => n > 0);
  return counts.every((n) => n >= KNN_FOLDS) ? KNN_FOLDS : 'leave-one-out';
}

export function evaluateKnnMode(teachable: Teachable, data: TrainingData): EvaluationOutcome {
  const withExamples = data.classIds.filter((_, c) => exampleCount(data, c) > 0).length;
  if (withExamples < 2) return { problem: 'Record examples in at least two classes to measure the k-NN.' };
  const folds = knnFoldsFor(data);
  const evaluation = evaluateKnn(data, { folds, vote: teachable.voteOptions });
  const method =
    folds === 'leave-one-out'
      ? `Leave-one-out: each of the ${evaluation.total} examples classified by all the others.`
      : `${folds}-fold: each class's examples cut into ${folds} consecutive stretches, each classified by the rest in turn (${evaluation.total} examples).`;
  return { result: { evaluation, method } };
}

export async function evaluateHeadMode(head: DenseHead | null, headModelId: ModelId | null, teachable: Teachable): Promise<EvaluationOutcome> {
  if (!head || !headModelId) return { problem: 'Train the dense head to measure it.' };
  if (head.validation.length === 0) return { problem: 'The head held no examples out (each class needs at least 2), so it cannot be measured.' };
  const data = await trainingDataFor(teachable, headModelId);
  if (head.isStale(data)) return { problem: 'The examples changed after the head was trained: train it again to measure it.' };
  const evaluation = await evaluateDenseHead(head, data);
  return {
    result: { evaluation, method: `Validation split: the ${evaluation.total} examples held out of training (${Math.round(head.settings.validationFraction * 100)}% of each class).` },
  };
}
