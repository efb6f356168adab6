/**
 * Reading and writing dataset files in the dataset worker (dataset-worker.ts), so that tens of MB of JSON and
 * base64 never hold the page; cancelled through an AbortSignal (the worker is ended at once). Where no worker can
 * run (no Worker, a policy that refuses it), the same code runs on the page.
 */
import { nextTask } from '../platform/next-task';
import { framesApart, FramesTogether, type DatasetProgress, type FramesPiece, type DatasetWorkerReply, type DatasetWorkerRequest } from './dataset-worker-protocol';
import { DatasetError } from './errors';
import { gzip } from './gzip';
import { readDatasetBytes } from './parse';
import { serializeDatasetParts, type SerializeOptions } from './serialize';
import type { Dataset, ParsedDataset } from './types';

export type { DatasetProgress } from './dataset-worker-protocol';

export interface WorkOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DatasetProgress) => void;
}

export interface WriteOptions extends SerializeOptions, WorkOptions {
  /** Gzip the file (gzip.ts): an import unpacks it again. */
  readonly gzip?: boolean;
}

/** Reads and checks a chosen file (gzipped or not); rejects with a DatasetError saying what is wrong and where. */
export async function readDatasetFile(file: Blob, options: WorkOptions = {}): Promise<ParsedDataset> {
  const frames = new FramesTogether();
  const reply = await inWorker({ kind: 'read', file }, options, [], [], (piece) => frames.add(piece));
  if (reply) return frames.into((reply as Extract<DatasetWorkerReply, { kind: 'read' }>).dataset);
  options.onProgress?.({ step: 'reading' });
  return readDatasetBytes(new Uint8Array(await file.arrayBuffer()));
}

/** The file of `dataset`, as a Blob (application/json, or gzip). Its vectors' buffers are handed over: it keeps none. */
export async function writeDatasetFile(dataset: Dataset, options: WriteOptions = {}): Promise<Blob> {
  const serialize: SerializeOptions = { encoding: options.encoding };
  const zipped = options.gzip ?? false;
  // The vectors are handed to the worker, not copied: the caller's dataset is a copy read out for this file.
  const buffers = [...new Set(dataset.classes.map((c) => c.vectors.buffer as ArrayBuffer))];
  const { pieces, rest } = framesApart(dataset);
  const reply = await inWorker({ kind: 'write', dataset: rest, options: serialize, gzip: zipped }, options, buffers, pieces);
  if (reply) return (reply as Extract<DatasetWorkerReply, { kind: 'written' }>).blob;
  const parts = serializeDatasetParts(dataset, serialize);
  return zipped ? gzip(parts) : new Blob(parts, { type: 'application/json' });
}

/**
 * The worker's answer to `request`, or null when no worker can run here (the caller then does the work itself).
 * `before` is sent first, a message a task; the frames the worker sends before its answer go to `onFrames`.
 */
function inWorker(
  request: DatasetWorkerRequest,
  { signal, onProgress }: WorkOptions,
  transfer: Transferable[] = [],
  before: readonly FramesPiece[] = [],
  onFrames?: (piece: FramesPiece) => void,
): Promise<DatasetWorkerReply | null> {
  signal?.throwIfAborted();
  let worker: Worker;
  try {
    if (typeof Worker === 'undefined') return Promise.resolve(null);
    worker = new Worker(new URL('./dataset-worker.ts', import.meta.url), { type: 'module', name: 'dataset' });
  } catch {
    return Promise.resolve(null); // a policy that refuses workers (worker-src) throws here
  }
  return new Promise<DatasetWorkerReply | null>((resolve, reject) => {
    let ended = false;
    const end = () => {
      ended = true;
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      end();
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('Cancelled.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<DatasetWorkerReply>) => {
      const reply = event.data;
      if (reply.kind === 'progress') return onProgress?.(reply.progress);
      if (reply.kind === 'frames') return onFrames?.(reply);
      end();
      if (reply.kind === 'refused') reject(new DatasetError(reply.problem, reply.where));
      else if (reply.kind === 'failed') reject(new Error(reply.message));
      else resolve(reply);
    };
    worker.onerror = (event) => {
      // The script did not load, or the worker died (out of memory): say so rather than wait forever.
      event.preventDefault();
      end();
      reject(new Error(event.message || 'the worker reading or writing the file stopped (out of memory?)'));
    };
    void (async () => {
      for (const piece of before) {
        worker.postMessage(piece);
        await nextTask();
        if (ended) return;
      }
      worker.postMessage(request, transfer);
    })();
  });
}
