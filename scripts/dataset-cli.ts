/**
 * `npm run dataset -- inspect FILE` and `npm run dataset -- convert IN OUT [--model ID]`, on the app's own
 * parser and writer (src/dataset). Node's file system comes in through `io` (see scripts/dataset.mjs), so this
 * file needs no Node types and is bundled by esbuild like the tests.
 */
import {
  checkFileSize,
  DatasetError,
  describeDataset,
  gzip,
  isVectorEncoding,
  readDatasetBytes,
  serializeDatasetParts,
  VECTOR_ENCODINGS,
  type ParsedDataset,
  type VectorEncoding,
} from '../src/dataset';
import { findModel, MODEL_CATALOG } from '../src/models/catalog';

export interface CliIo {
  fileSize(path: string): Promise<number>;
  readFile(path: string): Promise<Uint8Array>;
  /** Replaces `path` whole (written beside it, then renamed). */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  out(line: string): void;
  err(line: string): void;
}

export const USAGE = [
  'usage: npm run dataset -- inspect FILE',
  '       npm run dataset -- convert IN OUT [--model MODEL_ID] [--encoding float32|float16|int8] [--gzip]',
  '',
  'inspect  prints what FILE holds (format, model, dimension, classes with counts)',
  'convert  writes OUT in teachable-knn-dataset format from any importable file',
  '         (teachable-knn-dataset, ml5.js KNNClassifier.save(), {"label": [[...]]} map);',
  '         --model names the model for files that do not say (ml5.js files, label maps):',
  `         ${MODEL_CATALOG.map((m) => `${m.id} (${m.embeddingDim})`).join(', ')}`,
  '         --encoding float16 or int8 writes a compact file (2 or 1 bytes a number, rounded;',
  '         docs/dataset-format.md); --gzip (or an OUT ending in .gz) gzips it. FILE and IN may be gzipped.',
].join('\n');

/** A problem the user can fix; printed as one line, no stack. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Runs one command; resolves with the exit code (0 ok, 1 bad file or failed, 2 bad arguments). */
export async function runDatasetCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'inspect' && rest.length === 1) return await inspect(rest[0], io);
    if (command === 'convert') return await convert(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    io.err(command ? `dataset: unknown command or arguments: ${args.join(' ')}` : 'dataset: no command given');
    io.err(USAGE);
    return 2;
  } catch (error) {
    // Only the message: a stack trace says nothing about a broken file.
    io.err(`dataset: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

async function inspect(path: string, io: CliIo): Promise<number> {
  const dataset = await read(path, io);
  io.out(`file:       ${path}`);
  describeDataset(dataset).forEach((line) => io.out(line));
  return 0;
}

async function convert(args: readonly string[], io: CliIo): Promise<number> {
  const paths: string[] = [];
  let model: string | null = null;
  let encoding: VectorEncoding = 'float32';
  let zipped = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--model') {
      model = args[++i] ?? null;
      if (!model) throw new CliError(`--model needs a model id\n${USAGE}`, 2);
    } else if (args[i] === '--encoding') {
      const value = args[++i];
      if (!isVectorEncoding(value)) throw new CliError(`--encoding is one of ${VECTOR_ENCODINGS.join(', ')}\n${USAGE}`, 2);
      encoding = value;
    } else if (args[i] === '--gzip') zipped = true;
    else paths.push(args[i]);
  }
  if (paths.length !== 2) throw new CliError(`convert needs IN and OUT (got ${paths.length} paths)\n${USAGE}`, 2);
  const [input, output] = paths;
  const dataset = await read(input, io);
  const named = withModel(dataset, model, input);
  const parts = serializeDatasetParts(named, { encoding });
  const data = zipped || output.endsWith('.gz') ? new Uint8Array(await (await gzip(parts)).arrayBuffer()) : parts.join('');
  try {
    await io.writeFile(output, data);
  } catch (error) {
    throw new CliError(`cannot write ${output}: ${(error as Error).message}`);
  }
  const examples = dataset.classes.reduce((sum, c) => sum + c.vectors.length / dataset.dimension, 0);
  io.out(`wrote ${output}: ${dataset.classes.length} classes, ${examples} examples of ${dataset.dimension} numbers, ${data.length} bytes`);
  return 0;
}

function withModel(dataset: ParsedDataset, model: string | null, path: string): ParsedDataset {
  if (model === null) return dataset;
  if (dataset.model !== null && dataset.model !== model) {
    throw new CliError(`${path}: the file says its vectors come from ${dataset.model}, not ${model}`);
  }
  const spec = findModel(model);
  if (!spec) throw new CliError(`unknown model "${model}"; use one of ${MODEL_CATALOG.map((m) => m.id).join(', ')}`);
  if (spec.embeddingDim !== dataset.dimension) {
    throw new CliError(`${path}: the vectors have ${dataset.dimension} numbers each, but ${spec.name} makes ${spec.embeddingDim}`);
  }
  return { ...dataset, model };
}

async function read(path: string, io: CliIo): Promise<ParsedDataset> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    checkFileSize(await io.fileSize(path));
    bytes = new Uint8Array(await io.readFile(path));
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(`${path}: ${error.message}`);
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return await readDatasetBytes(bytes);
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}
