/** What the page and the dense head's training worker say to each other: the page sends a TrainingRequest. */
import type { DenseTrainingError, TrainingEvent, TrainingOutcome } from './dense-head-training';
import type { TrainingDataError } from '../training-data';

/** An error the worker caught, to be thrown again on the page as the same class with the same reason. */
export type FailureReply =
  | { readonly name: 'TrainingDataError'; readonly reason: TrainingDataError['reason']; readonly message: string; readonly classId: string | null }
  | { readonly name: 'DenseTrainingError'; readonly reason: DenseTrainingError['reason']; readonly message: string }
  | { readonly name: 'Error'; readonly message: string };

export type WorkerReply =
  /** The request arrived (so the worker's script loaded and runs). */
  | { readonly kind: 'started' }
  /** Reports of batches and epochs, in order. */
  | { readonly kind: 'events'; readonly events: readonly TrainingEvent[] }
  | { readonly kind: 'done'; readonly outcome: TrainingOutcome }
  | { readonly kind: 'failed'; readonly error: FailureReply };
