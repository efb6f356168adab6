/**
 * The page's side of the frame embedder's worker (embed-worker.ts): has a worker load a model, and embeds
 * 224 x 224 RGBA frames there, so the network's run (most of a frame's work) leaves the page's thread. A worker whose
 * model is let go is kept for the next model (one at most), with tfjs's backend and threads already started.
 */
import type { ModelSpec } from './catalog';
import type { EmbedWorkerReply, EmbedWorkerRequest, LoadRequest } from './embed-worker-protocol';

/** What the worker loads: the model, and how the page runs tfjs (the worker runs it the same way). */
export type WorkerEmbedderOptions = Omit<LoadRequest, 'kind' | 'spec'>;

/** The worker could not be started, or could not load the model, or stopped. */
export class WorkerEmbedderError extends Error {
  override name = 'WorkerEmbedderError';
}

interface Pending {
  resolve(values: Float32Array): void;
  reject(error: Error): void;
}

/** A worker whose model was let go, kept for the next one. */
let idleWorker: Worker | null = null;
/** Request numbers, page-wide: a kept worker may still answer a request of its previous owner. */
let nextId = 0;

function takeWorker(): Worker {
  const kept = idleWorker;
  idleWorker = null;
  return kept ?? new Worker(new URL('./embed-worker.ts', import.meta.url), { type: 'module', name: 'frame embedding' });
}

function send(worker: Worker, request: EmbedWorkerRequest, transfer: Transferable[] = []): void {
  worker.postMessage(request, transfer);
}

/** Ends the worker kept for the next model, if any. */
export function stopIdleEmbeddingWorker(): void {
  idleWorker?.terminate();
  idleWorker = null;
}

export class WorkerEmbedder {
  private readonly pending = new Map<number, Pending>();
  /** Set once the worker failed or this embedder was disposed: every embed after it is refused. */
  private ended: Error | null = null;

  private constructor(
    readonly spec: ModelSpec,
    private readonly worker: Worker,
    /** The threads tfjs's wasm backend runs on in the worker. */
    readonly threads: number,
  ) {
    worker.onmessage = (event: MessageEvent<EmbedWorkerReply>) => this.answered(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.end(new WorkerEmbedderError(`the embedding worker stopped: ${event.message || 'an error'}`), false);
    };
  }

  /**
   * A worker with `spec` loaded, warmed up (the loader runs it once). Rejects with a WorkerEmbedderError when no
   * worker can be made here, or the worker cannot load the model, or `signal` aborts first; that worker is then
   * ended, so that a load nobody waits for stops at once (it would otherwise go on to fill the model cache).
   */
  static start(spec: ModelSpec, options: WorkerEmbedderOptions, signal?: AbortSignal): Promise<WorkerEmbedder> {
    if (signal?.aborted) return Promise.reject(new WorkerEmbedderError('the embedding worker was stopped'));
    let worker: Worker;
    try {
      worker = takeWorker();
    } catch (error) {
      // No Worker here, or a policy that refuses workers (worker-src).
      return Promise.reject(new WorkerEmbedderError(`no worker could be started (${String(error)})`));
    }
    return new Promise<WorkerEmbedder>((resolve, reject) => {
      const failed = (message: string) => {
        signal?.removeEventListener('abort', aborted);
        worker.onmessage = null;
        worker.onerror = null;
        worker.terminate();
        reject(new WorkerEmbedderError(message));
      };
      const aborted = () => failed('the embedding worker was stopped');
      signal?.addEventListener('abort', aborted, { once: true });
      worker.onmessage = (event: MessageEvent<EmbedWorkerReply>) => {
        const reply = event.data;
        if (reply.kind === 'loaded') {
          signal?.removeEventListener('abort', aborted);
          resolve(new WorkerEmbedder(spec, worker, reply.threads));
        } else if (reply.kind === 'load-failed') failed(reply.message);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        failed(`the worker did not start (${event.message || 'its script failed to load'})`);
      };
      send(worker, { kind: 'load', spec, ...options });
    });
  }

  /** The embedding of 224 x 224 RGBA pixels (copied to the worker), equal to the page's Embedder.embedRgba. */
  embed(rgba: Uint8Array | Uint8ClampedArray): Promise<Float32Array> {
    if (this.ended) return Promise.reject(this.ended);
    const id = nextId++;
    // A copy the worker owns: the grabber rewrites its pixels with the next frame.
    const copy = rgba.slice().buffer;
    return new Promise<Float32Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      send(this.worker, { kind: 'embed', id, rgba: copy }, [copy]);
    });
  }

  /**
   * Lets the model go; embeds in flight are refused. The worker is kept for the next model; `unloaded` resolves to the
   * tensors it still holds then (0 unless something leaked).
   */
  dispose(): Promise<number> {
    if (this.ended) return Promise.resolve(0);
    const worker = this.worker;
    const unloaded = new Promise<number>((resolve) => {
      const listener = (event: MessageEvent<EmbedWorkerReply>) => {
        if (event.data.kind !== 'unloaded') return;
        worker.removeEventListener('message', listener);
        resolve(event.data.tensors);
      };
      worker.addEventListener('message', listener);
    });
    send(this.worker, { kind: 'unload' });
    this.end(new WorkerEmbedderError('the embedding worker was stopped'), true);
    return unloaded;
  }

  private answered(reply: EmbedWorkerReply): void {
    if (reply.kind !== 'embedded' && reply.kind !== 'embed-failed') return;
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'embedded') waiting.resolve(new Float32Array(reply.values));
    else waiting.reject(new WorkerEmbedderError(reply.message));
  }

  /** Refuses what is in flight; keeps the worker for the next model (one at most), or ends it. */
  private end(error: Error, keep: boolean): void {
    if (this.ended) return;
    this.ended = error;
    this.worker.onerror = null;
    this.worker.onmessage = null;
    if (keep && !idleWorker) idleWorker = this.worker;
    else this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
