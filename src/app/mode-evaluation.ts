/**
 * Each mode measured on examples it did not learn from: the k-NN by cross-validation over the current model's
 * examples, the dense head on the validation examples it held out while training.
 */
import type { DenseHead } from '../classifier/dense-head/dense-head';
import { evaluateKnnInBackground } from '../classifier/analysis/analysis';
import { evaluateDenseHead, type Evaluation } from '../classifier/analysis/evaluate';
import { exampleCount, type TrainingData } from '../classifier/training-data';
import type { VoteOptions } from '../classifier/knn/vote';
import { trainingDataFor } from './head-trainer';
import type { ModelId } from '../models/catalog';
import type { Teachable } from './teachable';

export const KNN_FOLDS = 5;
/**
 * Leave-one-out up to this many examples, k-fold beyond. Both cost about n^2 x dim (in the analysis worker), but
 * leave-one-out also projects every example once per example: 1.4 s for 100 examples of 1,280 numbers here,
 * 36 s for 500 (5-fold: 0.9 s and 3.9 s).
 */
export const LEAVE_ONE_OUT_MAX = 60;

export interface ModeEvaluation {
  readonly evaluation: Evaluation;
  /** How the held-out examples were chosen, in words. */
  readonly method: string;
}

/** Either a measurement, or why there is none. */
export type EvaluationOutcome = { readonly result: ModeEvaluation } | { readonly problem: string };

/**
 * Leave-one-out for few examples, where every one counts; k-fold with consecutive stretches beyond (faster, and
 * more honest for near-copy webcam frames).
 */
export function knnFoldsFor(data: TrainingData): number | 'leave-one-out' {
  const total = data.classIds.reduce((sum, _, c) => sum + exampleCount(data, c), 0);
  return total <= LEAVE_ONE_OUT_MAX ? 'leave-one-out' : KNN_FOLDS;
}

export async function evaluateKnnMode(teachable: Teachable, data: TrainingData): Promise<EvaluationOutcome> {
  const withExamples = data.classIds.filter((_, c) => exampleCount(data, c) > 0).length;
  if (withExamples < 2) return { problem: 'Record examples in at least two classes to measure the k-NN.' };
  const folds = knnFoldsFor(data);
  const evaluation = await evaluateKnnInBackground(data, { folds, vote: teachable.voteOptions });
  const method =
    folds === 'leave-one-out'
      ? `Leave-one-out: each of the ${evaluation.total} examples classified by all the others.`
      : `${folds}-fold: each class's examples cut into ${folds} consecutive stretches, each classified by the rest in turn (${evaluation.total} examples).`;
  return { result: { evaluation, method: `${method} ${voteName(teachable.voteOptions)}` } };
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

/** The vote measured, as the vote settings name it. */
function voteName(vote: VoteOptions): string {
  switch (vote.method ?? 'soft-nearest') {
    case 'soft-nearest':
      return 'Vote: soft nearest (default).';
    case 'mean-of-k':
      return `Vote: mean of the ${vote.k} nearest.`;
    case 'knn-classifier':
      return `Vote: classic k-NN (knn-classifier's predictClass, k = ${vote.k}).`;
  }
}
