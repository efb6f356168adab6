/**
 * The dense head's training worker: runs trainingSteps on each request it is sent, one at a time, and posts every
 * batch and epoch back (batches gathered into one message every POST_AFTER_MS, so the page is not woken a thousand
 * times a second), then the outcome (its weights transferred, not copied). The page stays free the whole time;
 * to cancel, the page terminates the worker. A worker that finished is reused for the next training, so its code
 * is already compiled and optimised.
 */
import type { FailureReply, WorkerReply } from './dense-head-protocol';
import { DenseTrainingError, trainingSteps, type TrainingEvent, type TrainingRequest } from './dense-head-training';
import { TrainingDataError } from '../training-data';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TrainingRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
};

/** Batch reports wait at most this long; an epoch's report goes at once, with the batches before it. */
const POST_AFTER_MS = 8;

function failure(error: unknown): FailureReply {
  if (error instanceof TrainingDataError) return { name: 'TrainingDataError', reason: error.reason, message: error.message, classId: error.classId };
  if (error instanceof DenseTrainingError) return { name: 'DenseTrainingError', reason: error.reason, message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

scope.onmessage = (event) => {
  scope.postMessage({ kind: 'started' });
  let pending: TrainingEvent[] = [];
  let lastPost = performance.now();
  const post = () => {
    if (pending.length > 0) scope.postMessage({ kind: 'events', events: pending });
    pending = [];
    lastPost = performance.now();
  };
  try {
    const run = trainingSteps(event.data);
    for (;;) {
      const next = run.next();
      if (next.done) {
        post();
        const { weights } = next.value;
        scope.postMessage({ kind: 'done', outcome: next.value }, [weights.w1.buffer, weights.b1.buffer, weights.w2.buffer]);
        return;
      }
      pending.push(next.value);
      if (next.value.kind === 'epoch' || performance.now() - lastPost >= POST_AFTER_MS) post();
    }
  } catch (error) {
    post();
    scope.postMessage({ kind: 'failed', error: failure(error) });
  }
};
