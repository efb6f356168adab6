/**
 * "Export as a web page": one zip holding index.html, the runtime bundle with <tm-classifier>, the classes file and
 * the model's files, laid out so that unzipping it into any static host gives a working page, offline. No DOM here.
 */
import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { serializeDataset, type Dataset } from '../dataset';
import { findModel, modelUrl, type ModelSpec } from '../models/catalog';
import { WASM_FILES } from '../runtime/wasm-files';
import { pageHtml } from './page-html';

export const PAGE_FILES = { bundle: 'tm-classifier.js', classes: 'classes.json', models: 'models', wasm: 'tfjs-wasm' } as const;

export class WebPageError extends Error {
  override readonly name = 'WebPageError';
}

export interface WebPageOptions {
  /** Where the app serves the runtime bundle with the element (vite.config.ts's runtime-bundle plugin). */
  readonly bundleUrl: string;
  /** Where the app serves TensorFlow.js's wasm binaries (server/local-assets.mjs, vite.config.ts). */
  readonly wasmBaseUrl: string;
  /** The app's local mirror of the models, or null: the public hosts. */
  readonly modelMirror: string | null;
  readonly title?: string;
  readonly fetch?: typeof fetch;
}

/** The zip's bytes. Throws a WebPageError saying what could not be fetched or what is missing. */
export async function webPageZip(dataset: Dataset, options: WebPageOptions): Promise<Uint8Array> {
  const spec = dataset.model === null ? undefined : findModel(dataset.model);
  if (!spec) throw new WebPageError('The examples do not name a model this app has.');
  if (!dataset.classes.some((c) => c.vectors.length > 0)) throw new WebPageError('There are no examples to put in the page: record some first.');
  const fetchFunc = options.fetch ?? fetch.bind(globalThis);
  const wasmBase = options.wasmBaseUrl.replace(/\/?$/, '/');
  const [bundle, model, ...wasm] = await Promise.all([
    fetchFile(options.bundleUrl, fetchFunc),
    modelFiles(spec, options.modelMirror, fetchFunc),
    ...WASM_FILES.map((file) => fetchFile(`${wasmBase}${file}`, fetchFunc)),
  ]);
  // Thumbnails are for re-embedding in the app; the page does not need them.
  const classes = serializeDataset({ ...dataset, classes: dataset.classes.map((c) => ({ ...c, thumbnails: [] })) });
  const folder = `${PAGE_FILES.models}/${spec.mirrorFolder}`;
  const files: Zippable = {
    'index.html': strToU8(
      pageHtml({
        title: options.title ?? 'My classes',
        bundleFile: PAGE_FILES.bundle,
        classesFile: PAGE_FILES.classes,
        modelsFolder: PAGE_FILES.models,
        wasmFolder: PAGE_FILES.wasm,
        // The SIMD binary only: every browser the page runs well in has SIMD.
        preload: [PAGE_FILES.classes, `${folder}/model.json`, `${folder}/weights.bin`, `${PAGE_FILES.wasm}/${WASM_FILES[0]}`],
      }),
    ),
    [PAGE_FILES.bundle]: bundle,
    // The backend the runtime embeds on (src/runtime/runtime-backend.ts).
    ...Object.fromEntries(WASM_FILES.map((file, i) => [`${PAGE_FILES.wasm}/${file}`, wasm[i]])),
    [PAGE_FILES.classes]: strToU8(classes),
    [`${folder}/model.json`]: strToU8(JSON.stringify(model.json)),
    // Weights hardly compress: stored, not deflated, to save the time.
    [`${folder}/weights.bin`]: [model.weights, { level: 0 }],
  };
  return zipSync(files, { level: 6 });
}

async function fetchFile(url: string, fetchFunc: typeof fetch): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFunc(url);
  } catch {
    throw new WebPageError(`The page's file ${url} could not be fetched: is the app still being served?`);
  }
  if (!response.ok) throw new WebPageError(`The page's file ${url} could not be fetched: the server answered HTTP ${response.status}.`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The model as tfjs reads it (from the mirror or the public host), written back as one model.json and one weights file. */
async function modelFiles(spec: ModelSpec, mirror: string | null, fetchFunc: typeof fetch): Promise<{ json: tf.io.ModelJSON; weights: Uint8Array }> {
  const { url: base, fromTFHub } = modelUrl(spec, mirror);
  const url = fromTFHub ? `${base.replace(/\/?$/, '/')}model.json?tfjs-format=file` : base;
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await tf.io.http(url, { fetchFunc }).load!();
  } catch (error) {
    throw new WebPageError(`${spec.name} could not be fetched to put in the page (${error instanceof Error ? error.message : String(error)}).`);
  }
  const data = artifacts.weightData;
  if (!artifacts.modelTopology || !artifacts.weightSpecs || !data) throw new WebPageError(`${spec.name} came without its weights.`);
  const weights = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    ...(artifacts.format ? { format: artifacts.format } : {}),
    ...(artifacts.generatedBy ? { generatedBy: artifacts.generatedBy } : {}),
    ...(artifacts.convertedBy !== undefined ? { convertedBy: artifacts.convertedBy } : {}),
    ...(artifacts.signature ? { signature: artifacts.signature } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    ...(artifacts.modelInitializer ? { modelInitializer: artifacts.modelInitializer } : {}),
  };
  return { json, weights };
}
