/**
 * Reads any importable dataset file: this app's format, ml5.js KNNClassifier files, plain label maps, or
 * knn-classifier's [label, numbers, shape] arrays.
 * Pure (no DOM, no tfjs), so the app and the command line share it. Everything is checked before anything
 * is returned: a DatasetError says what is wrong and where, and nothing half-read escapes.
 */
import { isObject } from './checks';
import { DatasetError, describeValue } from './errors';
import { gunzip, isGzip } from './gzip';
import { DATASET_LIMITS, type DatasetLimits } from './limits';
import { readKnnClassifier } from './read-knn-classifier';
import { readLabelMap } from './read-label-map';
import { readMl5 } from './read-ml5';
import { readNative } from './read-native';
import type { ParsedDataset } from './types';

/** Refuses a file by its size alone, before it is read (File.size, fs.stat). */
export function checkFileSize(bytes: number, limits: DatasetLimits = DATASET_LIMITS): void {
  if (bytes > limits.maxFileBytes) {
    throw new DatasetError(`the file is ${megabytes(bytes)}; the limit is ${megabytes(limits.maxFileBytes)}`);
  }
}

/** Reads a file's bytes, gzipped or not (gzip.ts). */
export async function readDatasetBytes(bytes: Uint8Array<ArrayBuffer>, limits: DatasetLimits = DATASET_LIMITS): Promise<ParsedDataset> {
  checkFileSize(bytes.byteLength, limits);
  return parseDatasetBytes(isGzip(bytes) ? await gunzip(bytes, limits) : bytes, limits);
}

/** Reads a file's bytes: they must be UTF-8 JSON. */
export function parseDatasetBytes(bytes: Uint8Array, limits: DatasetLimits = DATASET_LIMITS): ParsedDataset {
  checkFileSize(bytes.byteLength, limits);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetError('this is not a JSON file: it is not even UTF-8 text');
  }
  return parseDataset(text, limits);
}

export function parseDataset(text: string, limits: DatasetLimits = DATASET_LIMITS): ParsedDataset {
  checkFileSize(text.length, limits);
  const root = parseJson(text);
  if (Array.isArray(root)) return readKnnClassifier(root, limits);
  if (!isObject(root)) throw new DatasetError(`expected a JSON object at the top level, found ${describeValue(root)}`);
  if (Object.hasOwn(root, 'format')) return readNative(root, limits);
  if (Object.hasOwn(root, 'dataset') || Object.hasOwn(root, 'tensors')) return readMl5(root, limits);
  if (Object.values(root).every(Array.isArray)) return readLabelMap(root, limits);
  throw new DatasetError(
    'this is not a dataset this app knows: expected a "format" field (this app\'s files), "dataset" and "tensors" ' +
      '(ml5.js KNNClassifier files), a {"label": [[...], ...]} map, or an array of [label, numbers, shape] (knn-classifier)',
  );
}

function parseJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) throw new DatasetError('the file is empty');
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = String((error as Error).message);
    throw new DatasetError(`it is not valid JSON, as ${jsonProblem(reason)}`, jsonErrorPlace(body, reason));
  }
}

/**
 * The JSON parser's complaint in plain words. The engines word it differently (V8: "Unexpected end of JSON input",
 * SpiderMonkey: "JSON.parse: unexpected end of data at line 1 column 151 of the JSON data"), and V8's quotes the
 * file, which may be binary; the place is given apart (jsonErrorPlace).
 */
function jsonProblem(message: string): string {
  const text = message.toLowerCase();
  if (/end of (json input|data)|unterminated string|end of data/.test(text)) return 'the text ends before the JSON is complete (the file may be cut short)';
  if (/control character/.test(text)) return 'a string holds a control character, such as a line break';
  if (/escape/.test(text)) return 'a string holds a backslash that starts no valid escape';
  if (/after (json|json data)|non-whitespace character after/.test(text)) return 'more text follows the end of the JSON';
  const expected = /expected ([^.]*?)(?: in json| at | of the json|$)/.exec(text);
  if (expected && !text.includes('unexpected')) return `${expected[1].replace(/'/g, '"')} was expected here`;
  const token = /unexpected token '?(.)'?/i.exec(message);
  if (token && token[1].charCodeAt(0) > 0x20 && token[1].charCodeAt(0) < 0x7f) return `"${token[1]}" does not belong here`;
  return 'a character here does not belong in JSON';
}

/**
 * "line 3, column 14" from the engine's message, when it gives a place: V8's "at position 57" (or "(line 3 column
 * 14)"), SpiderMonkey's "at line 3 column 14 of the JSON data". JavaScriptCore's gives none.
 */
function jsonErrorPlace(text: string, message: string): string | null {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const match = /position (\d+)/.exec(message);
  if (!match) return null;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
