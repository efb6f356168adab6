import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, modelUrl, type ModelSpec } from './catalog';
import { Embedder, type EmbeddingNetwork } from './embedder';
import type { GraphTopology } from './fold-graph';
import { nextTask } from '../platform/next-task';

export type ModelLoadFailure = 'not-found' | 'network' | 'corrupt';

/** A load failure the UI can explain: what went wrong, and where. */
export class ModelLoadError extends Error {
  constructor(
    readonly kind: ModelLoadFailure,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

export interface LoadProgress {
  /** 0..1 over the bytes of every file of the model, or null while the total is unknown. */
  readonly fraction: number | null;
  readonly source: 'cache' | 'network';
}

export interface LoadOptions {
  /** Base URL of a local mirror (e.g. '/models/'), or null to use the public URL. */
  readonly mirrorBase: string | null;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Keep a copy in IndexedDB and start from it next time. */
  readonly useCache?: boolean;
  readonly fetchFunc?: typeof fetch;
}

const cacheKey = (spec: ModelSpec) => `indexeddb://teachable-${spec.id}-r${spec.revision}`;

/** Where an embedder came from, so that a worker can load the same model the same way (src/pipeline/frame-embedding.ts). */
export interface LoadSource {
  readonly mirrorBase: string | null;
  readonly useCache: boolean;
}

const sources = new WeakMap<Embedder, LoadSource>();

/** How loadEmbedder loaded `embedder`; null for one it did not load (built from a network in memory). */
export function loadSource(embedder: Embedder): LoadSource | null {
  return sources.get(embedder) ?? null;
}

/** Loads `spec` from the browser cache when it holds it, else from the network, and wraps it as an Embedder. */
export async function loadEmbedder(spec: ModelSpec, options: LoadOptions): Promise<Embedder> {
  const embedder = await loadAnyWay(spec, options);
  sources.set(embedder, { mirrorBase: options.mirrorBase, useCache: options.useCache ?? true });
  return embedder;
}

async function loadAnyWay(spec: ModelSpec, options: LoadOptions): Promise<Embedder> {
  const useCache = options.useCache ?? true;
  if (useCache) {
    const cached = await loadFromCache(spec);
    if (cached) {
      options.onProgress?.({ fraction: 1, source: 'cache' });
      return cached;
    }
  }
  const { url: baseUrl, fromTFHub } = modelUrl(spec, options.mirrorBase);
  // tf.loadGraphModel applies `fromTFHub` to string URLs only; a handler is passed here, so the URL is formed as it would.
  const url = fromTFHub ? `${baseUrl.replace(/\/?$/, '/')}model.json?tfjs-format=file` : baseUrl;
  const fetchFunc = withByteProgress(options.fetchFunc ?? fetch.bind(globalThis), (fraction) =>
    options.onProgress?.({ fraction, source: 'network' }),
  );
  let loaded: LoadedNetwork;
  try {
    loaded = await loadNetwork(spec, withWeightsChecked(tf.io.http(url, { fetchFunc })));
  } catch (error) {
    throw classifyLoadError(error, url, spec);
  }
  const network = loaded.network;
  let embedder: Embedder;
  try {
    embedder = await checkedEmbedder(spec, loaded);
  } catch (error) {
    throw classifyLoadError(error, url, spec);
  }
  if (useCache) {
    // A full or unavailable IndexedDB (private mode) only costs the next visit a download.
    await network.save(cacheKey(spec)).catch((error: unknown) => console.warn('Model not cached:', error));
  }
  return embedder;
}

export async function isCached(spec: ModelSpec): Promise<boolean> {
  try {
    return cacheKey(spec) in (await tf.io.listModels());
  } catch {
    return false;
  }
}

export async function removeFromCache(spec: ModelSpec): Promise<void> {
  if (await isCached(spec)) await tf.io.removeModel(cacheKey(spec));
}

async function loadFromCache(spec: ModelSpec): Promise<Embedder | null> {
  if (!(await isCached(spec))) return null;
  try {
    return await checkedEmbedder(spec, await loadNetwork(spec, cacheKey(spec)));
  } catch (error) {
    console.warn('Cached model unreadable, downloading it again:', error);
    await tf.io.removeModel(cacheKey(spec)).catch(() => undefined);
    return null;
  }
}

interface LoadedNetwork {
  readonly network: EmbeddingNetwork;
  /** A graph model's topology, which GraphModel keeps private: the Embedder folds the graph from it. */
  readonly graph?: GraphTopology;
}

async function loadNetwork(spec: ModelSpec, source: string | tf.io.IOHandler): Promise<LoadedNetwork> {
  if (spec.format === 'layers') return { network: await tf.loadLayersModel(source) };
  const handler = typeof source === 'string' ? tf.io.getLoadHandlers(source)[0] : source;
  if (!handler?.load) throw new Error(`no way to load ${String(source)}`);
  let graph: GraphTopology | undefined;
  const network = await tf.loadGraphModel({
    load: async () => {
      const artifacts = await handler.load!();
      graph = artifacts.modelTopology as GraphTopology | undefined;
      return artifacts;
    },
  });
  return { network, graph };
}

const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

/**
 * tfjs builds the network before it decodes the weights, and never disposes a network whose weights then fail
 * to decode: short weight files are refused here, before anything is allocated.
 */
function withWeightsChecked(handler: tf.io.IOHandler): tf.io.IOHandler {
  return {
    load: async () => {
      const artifacts = await handler.load!();
      const needed = (artifacts.weightSpecs ?? []).reduce(
        (sum, w) => sum + tf.util.sizeFromShape(w.shape) * (BYTES_PER_VALUE[w.quantization?.dtype ?? w.dtype] ?? Number.NaN),
        0,
      );
      const data = artifacts.weightData ?? [];
      const bytes = (Array.isArray(data) ? data : [data]).reduce((sum, buffer) => sum + buffer.byteLength, 0);
      if (bytes < needed) throw new Error(`the weights are ${bytes} bytes where the model needs ${needed}`);
      return artifacts;
    },
  };
}

/**
 * Takes ownership of `network` and runs it once on a blank frame: this compiles its kernels before the first real frame, and shows
 * whether it is the network the catalog describes (a wrong or damaged file fails here rather than later).
 */
async function checkedEmbedder(spec: ModelSpec, { network, graph }: LoadedNetwork): Promise<Embedder> {
  let embedder: Embedder | null = null;
  try {
    // Building the network, the embedder and its first run each get a task: together, from the browser's cache,
    // they held the page for 150 to 300 ms.
    await nextTask();
    embedder = new Embedder(spec, network, graph);
    await nextTask();
    const values = tf.tidy(() => embedder!.embedBatch(tf.zeros([1, INPUT_SIZE, INPUT_SIZE, 3])).dataSync());
    if (values.length !== spec.embeddingDim) {
      throw new Error(`it gives ${values.length} numbers per image, not ${spec.embeddingDim}`);
    }
    if (!values.every(Number.isFinite)) throw new Error('it gives numbers that are not finite');
    return embedder;
  } catch (error) {
    // The network is this function's: a failed check releases it (and the embedder's copies of its weights).
    if (embedder) embedder.dispose();
    else network.dispose();
    throw error;
  }
}

function classifyLoadError(error: unknown, url: string, spec: ModelSpec): ModelLoadError {
  const detail = error instanceof Error ? error.message : String(error);
  const status = /status code (\d+)/.exec(detail)?.[1];
  // The file that failed: model.json or one of its weight files.
  const file = /Request to (\S+) failed/.exec(detail)?.[1] ?? url;
  if (status === '404') {
    return new ModelLoadError('not-found', url, `${spec.name} was not found at ${file} (HTTP 404).`);
  }
  if (status) {
    return new ModelLoadError('network', url, `The server answered HTTP ${status} for ${spec.name} at ${file}.`);
  }
  if (error instanceof TypeError && /fetch|network/i.test(detail)) {
    return new ModelLoadError('network', url, `Could not reach ${url} to download ${spec.name}: no network?`);
  }
  return new ModelLoadError('corrupt', url, `The files of ${spec.name} at ${url} are damaged (${detail}).`);
}

/**
 * Wraps fetch so the bytes of the weight files are counted as they arrive. The first request is model.json, which
 * comes alone before the weights are asked for: it is not counted (the fraction would reach 1, then fall back
 * when the weights start), and the fraction never goes backwards as parallel shards add to the total.
 * An HTTP error status is thrown, naming the file, because tfjs does not check the status of weight files.
 */
export function withByteProgress(fetchFunc: typeof fetch, report: (fraction: number | null) => void): typeof fetch {
  let requests = 0;
  let expected = 0;
  let received = 0;
  let reported = 0;
  return async (input, init) => {
    const counted = requests++ > 0;
    const response = await fetchFunc(input, init);
    if (!response.ok) {
      const file = input instanceof Request ? input.url : String(input);
      throw new Error(`Request to ${file} failed with status code ${response.status}.`);
    }
    if (!response.body) return response;
    if (counted) expected += Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      if (counted) received += value.byteLength;
      if (expected > 0) reported = Math.max(reported, Math.min(received / expected, 1));
      report(expected > 0 ? reported : null);
    }
    return new Response(new Blob(chunks as BlobPart[]), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
