/**
 * Runs the calibration and the k-NN's cross-validation in one shared worker (analysis-worker.ts), one request after
 * another, so a long one never stalls the page. Where no worker can run (no Worker, a policy that refuses it, or a
 * script that fails to load), the same functions run on the page instead: slower to the eye, never wrong.
 */
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol';
import { evaluateKnn, type Evaluation, type KnnEvaluationOptions } from './evaluate';
import type { TrainingData } from '../training-data';
import { calibrateUnknown, type CalibrationOptions, type UnknownCalibration } from '../knn/unknown';

type Pending = { readonly resolve: (reply: AnalysisReply) => void; readonly reject: (error: Error) => void };

let worker: Worker | null = null;
/** Set once a worker failed to start here: later requests run on the page without trying again. */
let workerUnavailable = false;
let nextId = 1;
const pending = new Map<number, Pending>();

function startWorker(): Worker | null {
  if (worker) return worker;
  if (workerUnavailable || typeof Worker === 'undefined') return null;
  try {
    worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
  } catch {
    // A policy that refuses workers (worker-src) throws here.
    workerUnavailable = true;
    return null;
  }
  worker.onmessage = (event: MessageEvent<AnalysisReply>) => {
    const waiting = pending.get(event.data.id);
    pending.delete(event.data.id);
    waiting?.resolve(event.data);
  };
  worker.onerror = (event) => {
    // The script did not load or threw outside a request: whatever was asked runs on the page instead.
    event.preventDefault();
    workerUnavailable = true;
    worker?.terminate();
    worker = null;
    const failed = [...pending.values()];
    pending.clear();
    failed.forEach((p) => p.reject(new WorkerUnavailable()));
  };
  return worker;
}

class WorkerUnavailable extends Error {}

/**
 * Sends `request` (with a fresh id) to the worker; null when none can run. The data is copied, but for the buffers
 * in `transfer`, which are moved (the page can no longer read them).
 */
function ask(request: Omit<AnalysisRequest, 'id'>, transfer: Transferable[] = []): Promise<AnalysisReply> | null {
  const running = startWorker();
  if (!running) return null;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    running.postMessage({ ...request, id } as AnalysisRequest, transfer);
  });
}

async function inWorker<T>(
  request: Omit<AnalysisRequest, 'id'>,
  onPage: () => T,
  pick: (reply: AnalysisReply) => T | undefined,
  transfer: ArrayBuffer[] = [],
): Promise<T> {
  let reply: AnalysisReply | undefined;
  try {
    reply = (await ask(request, transfer)) ?? undefined;
  } catch (error) {
    if (!(error instanceof WorkerUnavailable)) throw error;
  }
  // A worker that stopped after the buffers were moved to it took the data along: the page has nothing to run on.
  if (!reply && transfer.some((buffer) => buffer.byteLength === 0)) throw new Error('The analysis worker stopped with the data it was given.');
  if (!reply) return onPage();
  if (reply.kind === 'failed') throw new Error(reply.message);
  const result = pick(reply);
  if (result === undefined) throw new Error(`The analysis worker answered ${reply.kind}.`);
  return result;
}

/**
 * calibrateUnknown, off the page. With `moveVectors`, the vectors' buffers are moved to the worker rather than
 * copied (tens of MB at 10,000 examples, a copy that held the page for hundreds of ms): the caller gives them up.
 */
export function calibrateInBackground(data: TrainingData, options: CalibrationOptions = {}, moveVectors = false): Promise<UnknownCalibration> {
  return inWorker(
    { kind: 'calibrate', data, options },
    () => calibrateUnknown(data, options),
    (reply) => (reply.kind === 'calibrate' ? reply.result : undefined),
    moveVectors ? movableBuffers(data.vectors) : [],
  );
}

/** The buffers of `vectors` that each hold exactly one of them (a view into a larger or shared buffer is copied). */
function movableBuffers(vectors: readonly Float32Array[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const v of vectors) {
    if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.byteLength > 0) buffers.add(v.buffer);
  }
  return [...buffers];
}

/** evaluateKnn, off the page. */
export function evaluateKnnInBackground(data: TrainingData, options: KnnEvaluationOptions = {}): Promise<Evaluation> {
  return inWorker(
    { kind: 'evaluate-knn', data, options },
    () => evaluateKnn(data, options),
    (reply) => (reply.kind === 'evaluate-knn' ? reply.result : undefined),
  );
}

/** Stops the worker (tests; a page that is going away stops it anyway). Pending requests run on the page. */
export function stopAnalysisWorker(): void {
  worker?.terminate();
  worker = null;
  const stopped = [...pending.values()];
  pending.clear();
  stopped.forEach((p) => p.reject(new WorkerUnavailable()));
}
