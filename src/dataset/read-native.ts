/** Reads this app's own format (docs/dataset-format.md). */
import { findModel } from '../models/catalog';
import {
  checkClassCount,
  checkDimension,
  checkFinite,
  checkLabel,
  checkThumbnails,
  checkTotalExamples,
  checkUniqueLabels,
  isObject,
  isWholeNumber,
  type JsonObject,
} from './checks';
import { DatasetError, describeValue, quoteLabel } from './errors';
import { decodeVectors, encodedVectorsLength, isVectorEncoding, VECTOR_ENCODINGS, type VectorEncoding } from './vector-encoding';
import type { DatasetLimits } from './limits';
import { NO_OUTPUT, parseClassOutput, type ClassOutput } from '../outputs/class-output';
import { FLOAT32_FORMAT_VERSION, FORMAT_NAME, FORMAT_VERSION, type DatasetClass, type ParsedDataset } from './types';

const MODEL_ID = /^[A-Za-z0-9._-]+$/;

export function readNative(root: JsonObject, limits: DatasetLimits): ParsedDataset {
  if (root.format !== FORMAT_NAME) {
    throw new DatasetError(
      `unknown format ${typeof root.format === 'string' ? JSON.stringify(root.format) : describeValue(root.format)}: this app reads "${FORMAT_NAME}" files, ml5.js KNN files and {"label": [[...]]} maps`,
      '"format"',
    );
  }
  const encoding = checkEncoding(checkVersion(root.version), root.encoding);
  const dimension = checkDimension(root.dimension, '"dimension"', limits);
  const model = checkModel(root.model, dimension, limits);
  if (!Array.isArray(root.classes)) throw new DatasetError(`expected an array of classes, found ${describeValue(root.classes)}`, '"classes"');
  const rawClasses: unknown[] = root.classes;
  checkClassCount(rawClasses.length, '"classes"', limits);

  // Everything cheap is checked for every class before any vectors are decoded.
  const headers = rawClasses.map((raw, i) => readHeader(raw, i, dimension, encoding, limits));
  checkUniqueLabels(
    headers.map((h) => h.label),
    (i) => `classes[${i}] ${quoteLabel(headers[i].label)}`,
  );
  checkTotalExamples(
    headers.reduce((sum, h) => sum + h.examples, 0),
    limits,
  );

  const classes = headers.map((header): DatasetClass => {
    let vectors: Float32Array;
    try {
      vectors = decodeVectors({ vectors: header.encoded, scales: header.scales }, header.examples, dimension, encoding);
    } catch (error) {
      const message = (error as Error).message;
      throw new DatasetError(/base64/.test(message) ? `"vectors" is not valid base64: ${message}` : `"vectors" cannot be read: ${message}`, header.where);
    }
    if (encoding === 'float32') checkFinite(vectors, dimension, header.where);
    const output = header.output.kind === 'none' ? {} : { output: header.output };
    return { label: header.label, color: header.color, ...output, vectors, thumbnails: header.thumbnails };
  });
  return { source: 'teachable-knn', model, dimension, classes, encoding };
}

function checkVersion(version: unknown): number {
  if (version === FLOAT32_FORMAT_VERSION || version === FORMAT_VERSION) return version;
  if (isWholeNumber(version) && version > FORMAT_VERSION) {
    throw new DatasetError(`version ${version} is newer than this app, which reads versions 1 and 2`, '"version"');
  }
  throw new DatasetError(`the version must be the number 1 or 2, not ${describeValue(version)}`, '"version"');
}

/** Version 1 files hold float32s (an "encoding" field there is not theirs, and ignored); version 2 files say which. */
function checkEncoding(version: number, encoding: unknown): VectorEncoding {
  if (version === FLOAT32_FORMAT_VERSION) return 'float32';
  if (isVectorEncoding(encoding)) return encoding;
  throw new DatasetError(`a version 2 file's "encoding" is one of ${VECTOR_ENCODINGS.map((e) => `"${e}"`).join(', ')}, not ${describeValue(encoding)}`, '"encoding"');
}

/** Models the app knows must agree on the dimension; an unknown id is kept, and refused only when imported. */
function checkModel(model: unknown, dimension: number, limits: DatasetLimits): string | null {
  if (model === null || model === undefined) return null;
  if (typeof model !== 'string' || !MODEL_ID.test(model) || model.length > limits.maxModelIdLength) {
    throw new DatasetError(
      `a model id is up to ${limits.maxModelIdLength} letters, digits, ".", "_" or "-", not ${describeValue(model)}`,
      '"model"',
    );
  }
  const spec = findModel(model);
  if (spec && spec.embeddingDim !== dimension) {
    throw new DatasetError(
      `the file says its vectors have ${dimension} numbers, but ${spec.name} (${model}) makes ${spec.embeddingDim}`,
      '"dimension"',
    );
  }
  return model;
}

interface ClassHeader {
  readonly where: string;
  readonly label: string;
  readonly color: string | null;
  readonly examples: number;
  readonly encoded: string;
  readonly scales?: string;
  readonly thumbnails: string[];
  readonly output: ClassOutput;
}

function readHeader(raw: unknown, index: number, dimension: number, encoding: VectorEncoding, limits: DatasetLimits): ClassHeader {
  const base = `classes[${index}]`;
  if (!isObject(raw)) throw new DatasetError(`expected a class object, found ${describeValue(raw)}`, base);
  const label = checkLabel(raw.label, `${base}.label`, limits);
  const where = `${base} ${quoteLabel(label)}`;
  const examples = raw.examples;
  if (!isWholeNumber(examples) || examples < 0) {
    throw new DatasetError(`"examples" must be a whole number of at least 0, not ${describeValue(examples)}`, where);
  }
  if (examples > limits.maxExamples) {
    throw new DatasetError(`the class declares ${examples} examples; the limit is ${limits.maxExamples} in a file`, where);
  }
  const encoded = raw.vectors;
  if (typeof encoded !== 'string') throw new DatasetError(`"vectors" must be a base64 string, not ${describeValue(encoded)}`, where);
  const expected = encodedVectorsLength(examples, dimension, encoding);
  if (encoded.length !== expected) {
    throw new DatasetError(
      `declares ${examples} examples of ${dimension} numbers (${expected} base64 characters), but "vectors" has ` +
        `${encoded.length} characters${encoding === 'float32' ? heldExamples(encoded, dimension) : ''}`,
      where,
    );
  }
  const scales = raw.scales;
  if (encoding === 'int8' && typeof scales !== 'string') throw new DatasetError(`"scales" must be a base64 string, not ${describeValue(scales)}`, where);
  const output = readOutput(raw.output, where);
  return {
    where,
    label,
    color: readColor(raw.color, where),
    examples,
    encoded,
    ...(typeof scales === 'string' ? { scales } : {}),
    thumbnails: checkThumbnails(raw.thumbnails, where, limits),
    output,
  };
}

/** ", which hold 3 examples" when the text is whole base64 numbers, for the mismatch message. */
function heldExamples(encoded: string, dimension: number): string {
  if (encoded.length % 4 !== 0) return '';
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  const numbers = ((encoded.length / 4) * 3 - padding) / 4;
  return `, which hold ${numbers} numbers (${Math.round((numbers / dimension) * 100) / 100} examples)`;
}

function readOutput(value: unknown, where: string): ClassOutput {
  if (value === undefined) return NO_OUTPUT;
  try {
    return parseClassOutput(value);
  } catch (error) {
    throw new DatasetError(`"output": ${(error as Error).message}`, where);
  }
}

function readColor(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(value)) {
    throw new DatasetError(`"color" must look like "#1a2b3c", not ${describeValue(value)}`, where);
  }
  return value.toLowerCase();
}
