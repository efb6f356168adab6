/** The messages between the page and the frame embedder's worker (embed-worker.ts, worker-embedder.ts). */
import type { ModelSpec } from './catalog';

/**
 * How the worker starts tfjs (on its first load; a worker keeps its backend) and loads the model (letting any model it
 * held go): as the page did, so its embeddings are the page's, bit for bit. */
export interface LoadRequest {
  readonly kind: 'load';
  readonly spec: ModelSpec;
  /** Absolute URL of the folder holding tfjs's wasm binaries (a worker started from a blob: URL resolves nothing). */
  readonly wasmBase: string;
  /** The page's own tfjs wasm flags, so the worker runs the same binary (SIMD, threaded or not). */
  readonly simd: boolean;
  readonly threads: boolean;
  /** Absolute URL of the local model mirror, or null for the public URL. */
  readonly mirrorBase: string | null;
  /** Read the model from (and keep it in) the browser's IndexedDB cache, as the page's loader does. */
  readonly useCache: boolean;
}

/** 224 x 224 RGBA pixels laid out as ImageData's; the buffer is transferred. */
export interface EmbedRequest {
  readonly kind: 'embed';
  readonly id: number;
  readonly rgba: ArrayBuffer;
}

/** Lets the model go (the worker is kept for the next one). */
export interface UnloadRequest {
  readonly kind: 'unload';
}

export type EmbedWorkerRequest = LoadRequest | EmbedRequest | UnloadRequest;

export type EmbedWorkerReply =
  | { readonly kind: 'loaded'; readonly backend: string; readonly threads: number }
  | { readonly kind: 'load-failed'; readonly message: string }
  /** The embedding's numbers, transferred. */
  | { readonly kind: 'embedded'; readonly id: number; readonly values: ArrayBuffer }
  | { readonly kind: 'embed-failed'; readonly id: number; readonly message: string }
  /** The tensors the worker still holds once the model is gone (0 unless something leaked). */
  | { readonly kind: 'unloaded'; readonly tensors: number };
