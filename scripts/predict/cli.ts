/**
 * `npm run predict -- --classes FILE IMAGE_OR_DIR...`: the app's classes, used on image files in Node, with the
 * app's own embedding (Embedder on tfjs's wasm backend), k-NN store, vote and "none of these" threshold
 * (src/runtime/embedding-classifier.ts). Node's file system and the image decoder come in through `io`
 * (scripts/predict.mjs), so this file needs no Node types and is bundled by esbuild like the tests.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { checkFileSize, parseDatasetBytes, serializeDataset, type Dataset } from '../../src/dataset';
import { encodeFloat32 } from '../../src/dataset/float32-base64';
import { DEFAULT_MODEL_ID, findModel, MODEL_CATALOG, type ModelSpec } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder } from '../../src/models/loader';
import { checkHasExamples, EmbeddingClassifier, type Classification } from '../../src/runtime/embedding-classifier';
import { ClassifierError, messageOf } from '../../src/runtime/errors';
import { modelForClasses } from '../../src/runtime/model-choice';
import { parseArguments, USAGE, UsageError, type PredictOptions } from './arguments';
import { confusion, formatConfusion, type LabelledResult } from './report';
import { centreSquareRgba, type DecodedImage } from './square';

export interface PredictIo {
  fileSize(path: string): Promise<number>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, text: string): Promise<void>;
  /** What is at `path`. */
  kind(path: string): Promise<'file' | 'directory' | 'missing'>;
  /** The image files under `dir` (by extension, any depth), sorted. */
  listImages(dir: string): Promise<string[]>;
  /** The folder an image is in, by name (its class with --labelled). */
  folderOf(path: string): string;
  /** Decodes an image file, refusing non-images and images over the size limits with a clear message. */
  decode(path: string): Promise<DecodedImage>;
  /** Fetches a model file by its path (answers 404 for a missing one). */
  readonly modelFetch: typeof fetch;
  /** The model folder when --models-dir is not given, or null when there is none. */
  readonly defaultModelsDir: string | null;
  /** Where the wasm backend's binaries are. */
  readonly wasmDir: string;
  now(): number;
  out(line: string): void;
  err(line: string): void;
}

/** Images embedded in one run of the network: on wasm 4 cost about 0.6 of 4 single runs. */
const BATCH = 4;
/** Images decoded ahead of the one being embedded (the decoder runs on other threads meanwhile). */
const DECODE_AHEAD = 2 * BATCH;

/** Runs one command; resolves with the exit code (0 ok, 1 a failure, 2 bad arguments). */
export async function runPredictCli(args: readonly string[], io: PredictIo): Promise<number> {
  let embedder: Embedder | null = null;
  let classifier: EmbeddingClassifier | null = null;
  try {
    const options = parseArguments(args);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    const dataset = options.classes === null ? null : await readClassesFile(options.classes, io);
    if (dataset) checkHasExamples(dataset);
    const spec = dataset ? modelForClasses(dataset, options.model ?? undefined) : teachModel(options.model);
    const images = await gatherImages(options.inputs, io);
    const modelsDir = options.modelsDir ?? io.defaultModelsDir;
    if (!modelsDir) throw new ClassifierError('model', 'no model folder: pass --models-dir DIR, or set MOBILENET_MODELS_DIR.');
    if ((await io.kind(modelsDir)) !== 'directory') throw new ClassifierError('model', `the model folder ${modelsDir} does not exist.`);
    const loadStart = io.now();
    embedder = await loadModel(spec, modelsDir, io);
    const loadSeconds = (io.now() - loadStart) / 1000;
    if (dataset === null) {
      const failures = await teach(embedder, images, options.out!, io);
      return failures > 0 ? 1 : 0;
    }
    classifier = EmbeddingClassifier.create(embedder, dataset);
    embedder = null; // the classifier owns it now
    return await predictAll(classifier, images, options, io, loadSeconds);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`predict: ${error.message}`);
      io.err(USAGE);
      return 2;
    }
    // Only the message: a stack trace says nothing to someone with a bad file.
    io.err(`predict: ${messageOf(error)}`);
    return 1;
  } finally {
    classifier?.dispose();
    embedder?.dispose();
  }
}

async function readClassesFile(path: string, io: PredictIo): Promise<Dataset> {
  try {
    checkFileSize(await io.fileSize(path));
    return parseDatasetBytes(await io.readFile(path));
  } catch (error) {
    throw new ClassifierError('classes-file', `${path}: ${messageOf(error)}`, { cause: error });
  }
}

function teachModel(id: string | null): ModelSpec {
  const spec = findModel(id ?? DEFAULT_MODEL_ID);
  if (!spec) throw new UsageError(`there is no model "${id}"; the models are ${MODEL_CATALOG.map((m) => m.id).join(', ')}`);
  return spec;
}

async function gatherImages(inputs: readonly string[], io: PredictIo): Promise<string[]> {
  const images: string[] = [];
  for (const input of inputs) {
    const kind = await io.kind(input);
    if (kind === 'missing') throw new ClassifierError('image', `${input}: no such file or folder.`);
    if (kind === 'file') {
      images.push(input);
      continue;
    }
    const found = await io.listImages(input);
    if (found.length === 0) throw new ClassifierError('image', `${input} holds no images (JPEG, PNG, WebP, GIF, AVIF or TIFF files).`);
    images.push(...found);
  }
  return images;
}

async function loadModel(spec: ModelSpec, modelsDir: string, io: PredictIo): Promise<Embedder> {
  setWasmPaths(io.wasmDir.endsWith('/') ? io.wasmDir : `${io.wasmDir}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error("tfjs's wasm backend did not start.");
  const mirrorBase = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
  try {
    return await loadEmbedder(spec, { mirrorBase, useCache: false, fetchFunc: io.modelFetch });
  } catch (error) {
    throw new ClassifierError('model', messageOf(error), { cause: error });
  }
}

/** Decodes the images in order, up to DECODE_AHEAD ahead of the consumer; a failed decode is yielded, not thrown. */
async function* decoded(images: readonly string[], io: PredictIo): AsyncGenerator<{ path: string; image: DecodedImage | Error }> {
  const start = (path: string) => io.decode(path).then((image) => image, (error: unknown) => new Error(messageOf(error)));
  const pending = images.slice(0, DECODE_AHEAD).map(start);
  for (let i = 0; i < images.length; i++) {
    const image = await pending[i];
    if (i + DECODE_AHEAD < images.length) pending.push(start(images[i + DECODE_AHEAD]));
    yield { path: images[i], image };
  }
}

/**
 * The images' centre squares in groups of up to BATCH, in order, each image that could not be read reported on
 * stderr as it comes. Resolves with the number of those.
 */
async function inBatches(images: readonly string[], io: PredictIo, use: (paths: string[], squares: Uint8ClampedArray[]) => Promise<void>): Promise<number> {
  let failures = 0;
  let paths: string[] = [];
  let squares: Uint8ClampedArray[] = [];
  const flush = async () => {
    if (paths.length) await use(paths, squares);
    paths = [];
    squares = [];
  };
  for await (const { path, image } of decoded(images, io)) {
    if (image instanceof Error) {
      // The images before it are answered first, so the lines stay in the order of the images.
      await flush();
      failures++;
      io.err(`predict: ${path}: ${image.message}`);
      continue;
    }
    paths.push(path);
    squares.push(centreSquareRgba(image));
    if (paths.length === BATCH) await flush();
  }
  await flush();
  return failures;
}

async function predictAll(classifier: EmbeddingClassifier, images: readonly string[], options: PredictOptions, io: PredictIo, loadSeconds: number): Promise<number> {
  const labelled: LabelledResult[] = [];
  const start = io.now();
  const failures = await inBatches(images, io, async (paths, squares) => {
    const answers = await classifier.classifyRgbaBatch(squares);
    answers.forEach(({ result, embedding }, i) => {
      io.out(options.json ? jsonLine(paths[i], result, options.embeddings ? embedding : null) : textLine(paths[i], result));
      if (options.labelled) labelled.push({ truth: io.folderOf(paths[i]), predicted: result.label });
    });
  });
  const seconds = (io.now() - start) / 1000;
  const done = images.length - failures;
  io.err(
    `predict: ${done} image${done === 1 ? '' : 's'} in ${seconds.toFixed(2)} s (${(done / Math.max(seconds, 1e-9)).toFixed(1)} per second), ` +
      `${classifier.model.name} loaded in ${loadSeconds.toFixed(2)} s${failures ? `; ${failures} could not be read` : ''}`,
  );
  if (options.labelled && labelled.length > 0) {
    const report = confusion(labelled, classifier.labels);
    if (options.json) io.out(JSON.stringify({ accuracy: report.accuracy, correct: report.correct, total: report.total, labels: report.labels, confusion: report.counts }));
    else for (const line of formatConfusion(report)) io.out(line);
  }
  return failures > 0 ? 1 : 0;
}

function textLine(path: string, result: Classification): string {
  return `${path}\t${result.label}\t${result.confidence.toFixed(3)}${result.unknown ? '\tunknown' : ''}`;
}

function jsonLine(path: string, result: Classification, embedding: Float32Array | null): string {
  const confidences = Object.fromEntries(result.confidences.map((c) => [c.label, c.confidence]));
  const extra = embedding ? { embedding: encodeFloat32(embedding) } : {};
  return JSON.stringify({ file: path, label: result.label, confidence: result.confidence, unknown: result.unknown, confidences, ...extra });
}

/** --teach: embeds every image, one class per folder, and writes them as a classes file. */
async function teach(embedder: Embedder, images: readonly string[], out: string, io: PredictIo): Promise<number> {
  const rows = new Map<string, Float32Array[]>();
  const dim = embedder.spec.embeddingDim;
  const failures = await inBatches(images, io, async (paths, squares) => {
    const batch = embedder.embedRgbaBatch(squares);
    const flat = (await batch.data()) as Float32Array;
    batch.dispose();
    paths.forEach((path, i) => {
      const label = io.folderOf(path);
      rows.set(label, [...(rows.get(label) ?? []), flat.slice(i * dim, (i + 1) * dim)]);
    });
  });
  const classes = [...rows].map(([label, vectors]) => {
    const flat = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => flat.set(v, i * dim));
    return { label, color: null, vectors: flat, thumbnails: [] };
  });
  await io.writeFile(out, serializeDataset({ model: embedder.spec.id, dimension: dim, classes }));
  io.err(`predict: wrote ${classes.length} classes (${images.length - failures} examples) to ${out}`);
  return failures;
}
