/**
 * The frame embedder's worker: loads one model with the app's own loader (the browser cache, the mirror or the public
 * URL) on tfjs's wasm backend, started with the page's flags, then embeds each 224 x 224 RGBA frame it is sent with
 * Embedder.embedRgba, the path the page takes for a 224 x 224 frame on wasm, and answers the numbers (transferred).
 * One model at a time: a worker is kept by the page for the next model (starting tfjs's threads again each time is
 * slow, and Firefox stopped starting new ones after a few workers came and went).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Embedder } from './embedder';
import type { EmbedWorkerReply, EmbedWorkerRequest, LoadRequest } from './embed-worker-protocol';
import { loadEmbedder } from './loader';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EmbedWorkerRequest>) => void) | null;
  postMessage(message: EmbedWorkerReply, transfer?: Transferable[]): void;
};

let embedder: Embedder | null = null;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The backend's start, once per worker: the first load's flags decide (a page runs tfjs one way). */
let backend: Promise<void> | null = null;

async function startBackend(request: LoadRequest): Promise<void> {
  setWasmPaths(request.wasmBase);
  tf.env().set('WASM_HAS_SIMD_SUPPORT', request.simd);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', request.threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start in the worker');
  await tf.ready();
}

function unload(): void {
  embedder?.dispose();
  embedder = null;
}

async function load(request: LoadRequest): Promise<EmbedWorkerReply> {
  unload();
  backend ??= startBackend(request).catch((error: unknown) => {
    backend = null;
    throw error;
  });
  await backend;
  embedder = await loadEmbedder(request.spec, { mirrorBase: request.mirrorBase, useCache: request.useCache });
  return { kind: 'loaded', backend: tf.getBackend(), threads: getThreadsCount() };
}

function embed(id: number, rgba: ArrayBuffer): EmbedWorkerReply & { kind: 'embedded' } {
  if (!embedder) throw new Error('no model is loaded in the worker');
  const embedding = embedder.embedRgba(new Uint8ClampedArray(rgba));
  try {
    const values = embedding.dataSync<'float32'>();
    // dataSync gives a copy on wasm; a view into a larger buffer would transfer more than the embedding.
    const own = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
    return { kind: 'embedded', id, values: own.buffer as ArrayBuffer };
  } finally {
    embedding.dispose();
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.kind === 'load') {
    load(request).then(
      (reply) => scope.postMessage(reply),
      (error: unknown) => scope.postMessage({ kind: 'load-failed', message: messageOf(error) }),
    );
    return;
  }
  if (request.kind === 'unload') {
    unload();
    scope.postMessage({ kind: 'unloaded', tensors: tf.memory().numTensors });
    return;
  }
  try {
    const reply = embed(request.id, request.rgba);
    scope.postMessage(reply, [reply.values]);
  } catch (error) {
    scope.postMessage({ kind: 'embed-failed', id: request.id, message: messageOf(error) });
  }
};
