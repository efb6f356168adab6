/** What the page and the analysis worker (analysis-worker.ts) say to each other. */
import type { Evaluation, KnnEvaluationOptions } from './evaluate';
import type { TrainingData } from '../training-data';
import type { CalibrationOptions, UnknownCalibration } from '../knn/unknown';

export type AnalysisRequest =
  | { readonly id: number; readonly kind: 'calibrate'; readonly data: TrainingData; readonly options: CalibrationOptions }
  | { readonly id: number; readonly kind: 'evaluate-knn'; readonly data: TrainingData; readonly options: KnnEvaluationOptions };

export type AnalysisReply =
  | { readonly id: number; readonly kind: 'calibrate'; readonly result: UnknownCalibration }
  | { readonly id: number; readonly kind: 'evaluate-knn'; readonly result: Evaluation }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string };
