/**
 * A tiny stand-in for MobileNet that tests build in memory: 224 x 224 x 3 -> an 8 x 8 conv with stride 8 ->
 * global average pooling. It has the app's input contract and gives a short embedding in milliseconds.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../src/platform/backend';
import type { ModelId, ModelSpec } from '../../src/models/catalog';
import { Embedder } from '../../src/models/embedder';
import { mulberry32 } from '../../src/platform/random.mjs';

export const TINY_DIM = 8;

export function tinyNetwork(filters = TINY_DIM, seed = 1): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [224, 224, 3],
      filters,
      kernelSize: 8,
      strides: 8,
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 1 }),
    }),
  );
  model.add(tf.layers.globalAveragePooling2d({}));
  return model;
}

let specCounter = 0;

/** A catalog-shaped spec for the tiny network; every call gets a fresh id so browser caches never collide. */
/**
 * Two embedders of the same tiny spec with different weights (seeds 1 and 2), as two models would be, made on the
 * wasm backend before the calling suite's tests and disposed after them. Read `a` and `b` inside tests or hooks.
 */
export function tinyEmbedderPair(): { readonly a: Embedder; readonly b: Embedder } {
  const pair: { a: Embedder | null; b: Embedder | null } = { a: null, b: null };
  before(async () => {
    await useBackend('wasm');
    pair.a = new Embedder(tinySpec(), tinyNetwork(TINY_DIM, 1));
    pair.b = new Embedder(tinySpec(), tinyNetwork(TINY_DIM, 2));
  });
  after(() => {
    pair.a?.dispose();
    pair.b?.dispose();
  });
  const made = (embedder: Embedder | null) => {
    if (!embedder) throw new Error('The tiny embedders exist only while the suite runs.');
    return embedder;
  };
  return {
    get a() {
      return made(pair.a);
    },
    get b() {
      return made(pair.b);
    },
  };
}

export function tinySpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  const n = ++specCounter;
  return {
    id: `tiny-${Date.now().toString(36)}-${n}` as ModelId,
    name: `Tiny test net ${n}`,
    summary: 'test double',
    format: 'layers',
    publicUrl: 'https://example.invalid/tiny/model.json',
    fromTFHub: false,
    mirrorFolder: `tiny_${n}`,
    embeddingDim: TINY_DIM,
    inputRange: [-1, 1],
    revision: 1,
    ...overrides,
  };
}

export interface ModelFiles {
  /** model.json as tfjs's http loader expects it. */
  readonly modelJson: string;
  readonly weights: ArrayBuffer;
}

/** Serialises a layers model the way it would be served: model.json plus one weights.bin. */
export async function modelFiles(model: tf.LayersModel): Promise<ModelFiles> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = captured as tf.io.ModelArtifacts | null;
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('The model saved no weights.');
  const modelJson = JSON.stringify({
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  });
  return { modelJson, weights: tf.io.CompositeArrayBuffer.join(artifacts.weightData) };
}

export type Route = (url: string) => Response | Promise<Response>;

/** A fetch that answers from `route` and records every URL asked for. */
export function fakeFetch(route: Route): { fetchFunc: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const fetchFunc = (async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push(url);
    return route(url);
  }) as typeof fetch;
  return { fetchFunc, calls };
}

/** A 200 response with a Content-Length whose body arrives in `chunkSize` pieces, as from a static server. */
export function fileResponse(body: string | ArrayBuffer, type: string, chunkSize = 1024): Response {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { 'Content-Type': type, 'Content-Length': String(bytes.byteLength) },
  });
}

export const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/** Serves `files` at <anything>/model.json and <anything>/weights.bin (any query string); 404 for everything else. */
export function modelRoute(files: ModelFiles): Route {
  return (url) => {
    const path = new URL(url, location.href).pathname;
    if (path.endsWith('/model.json')) return fileResponse(files.modelJson, 'application/json');
    if (path.endsWith('/weights.bin')) return fileResponse(files.weights, 'application/octet-stream');
    return notFound();
  };
}

/** A solid-colour 224 x 224 image, optionally with a deterministic pattern mixed in. */
export function solidImage([r, g, b]: readonly [number, number, number], pattern = 0): ImageData {
  const image = new ImageData(224, 224);
  for (let i = 0; i < 224 * 224; i++) {
    const x = i % 224;
    const y = Math.floor(i / 224);
    const wobble = pattern ? Math.round(pattern * Math.sin(x / 7 + y / 11)) : 0;
    image.data[i * 4] = clampByte(r + wobble);
    image.data[i * 4 + 1] = clampByte(g - wobble);
    image.data[i * 4 + 2] = clampByte(b + wobble);
    image.data[i * 4 + 3] = 255;
  }
  return image;
}

const clampByte = (v: number) => Math.max(0, Math.min(255, v));

/** The app's seeded generator (mulberry32), so random tests are reproducible. */
export const seededRandom = mulberry32;
