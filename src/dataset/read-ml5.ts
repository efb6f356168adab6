/**
 * Reads files saved by ml5.js KNNClassifier.save():
 * `{"dataset": {"0": {"shape": [n, d], "label": "Rock", ...}, ...}, "tensors": [{"0": x0, "1": x1, ...}, ...]}`.
 * `dataset` is knn-classifier's dataset of tensors as JSON: keys are class indices, and `label` is only there
 * when the classes had text labels (else the key is the label). `tensors[j]` holds the data of the j-th key
 * (ml5 maps Object.keys(dataset) in order), as a Float32Array turned into an index-keyed object, or an array.
 */
import {
  checkClassCount,
  checkDimension,
  checkLabel,
  checkTotalExamples,
  checkUniqueLabels,
  isObject,
  isWholeNumber,
  copyNumbers,
  type JsonObject,
} from './checks';
import { DatasetError, describeValue, quoteLabel } from './errors';
import type { DatasetLimits } from './limits';
import type { ParsedDataset } from './types';

interface Ml5Class {
  readonly key: string;
  readonly label: string;
  readonly rows: number;
  readonly dimension: number;
}

export function readMl5(root: JsonObject, limits: DatasetLimits): ParsedDataset {
  const { dataset, tensors } = root;
  if (!isObject(dataset)) throw new DatasetError(`expected an object of classes, found ${describeValue(dataset)}`, '"dataset"');
  if (!Array.isArray(tensors)) throw new DatasetError(`expected an array of tensors, found ${describeValue(tensors)}`, '"tensors"');
  const keys = Object.keys(dataset);
  checkClassCount(keys.length, '"dataset"', limits);
  if (keys.length !== tensors.length) {
    throw new DatasetError(`"dataset" has ${keys.length} classes but "tensors" has ${tensors.length} ${tensors.length === 1 ? 'entry' : 'entries'}`, '"tensors"');
  }
  if (keys.length === 0) throw new DatasetError('the file has no classes', '"dataset"');

  const classes = keys.map((key) => readEntry(key, dataset[key], limits));
  const dimension = classes[0].dimension;
  classes.forEach((c) => {
    if (c.dimension !== dimension) {
      throw new DatasetError(
        `examples have ${c.dimension} numbers here but ${dimension} in ${where(classes[0])}: one file holds one model's vectors`,
        `${where(c)}.shape`,
      );
    }
  });
  checkUniqueLabels(
    classes.map((c) => c.label),
    (i) => where(classes[i]),
  );
  checkTotalExamples(
    classes.reduce((sum, c) => sum + c.rows, 0),
    limits,
  );
  return {
    source: 'ml5',
    model: null,
    dimension,
    classes: classes.map((c, j) => ({
      label: c.label,
      color: null,
      vectors: readTensor(tensors[j], c, `tensors[${j}] (class ${quoteLabel(c.label)})`),
      thumbnails: [],
    })),
  };
}

const where = (c: Ml5Class) => `dataset[${JSON.stringify(c.key)}]`;

function readEntry(key: string, entry: unknown, limits: DatasetLimits): Ml5Class {
  const base = `dataset[${JSON.stringify(key)}]`;
  if (!isObject(entry)) throw new DatasetError(`expected a tensor description, found ${describeValue(entry)}`, base);
  const shape = entry.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || !isWholeNumber(shape[0]) || shape[0] < 1) {
    throw new DatasetError(`"shape" must be [examples, numbers per example], not ${JSON.stringify(shape) ?? 'missing'}`, base);
  }
  if (shape[0] > limits.maxExamples) {
    throw new DatasetError(`"shape" declares ${shape[0]} examples; the limit is ${limits.maxExamples} in a file`, base);
  }
  const dimension = checkDimension(shape[1], `${base}.shape[1]`, limits);
  if (entry.dtype !== undefined && entry.dtype !== 'float32') {
    throw new DatasetError(`"dtype" is ${describeValue(entry.dtype)}; only float32 vectors can be read`, base);
  }
  // Numeric labels leave no "label" field: the class index key is the label.
  const rawLabel = entry.label === undefined ? key : typeof entry.label === 'number' ? String(entry.label) : entry.label;
  const label = checkLabel(rawLabel, `${base}.label`, limits);
  return { key, label, rows: shape[0], dimension };
}

function readTensor(tensor: unknown, c: Ml5Class, base: string): Float32Array {
  const length = c.rows * c.dimension;
  const shapeText = `"shape" [${c.rows}, ${c.dimension}] means ${length} numbers`;
  let values: ArrayLike<unknown>;
  if (Array.isArray(tensor)) {
    if (tensor.length !== length) throw new DatasetError(`${shapeText}, but there are ${tensor.length}`, base);
    values = tensor;
  } else if (isObject(tensor)) {
    const count = Object.keys(tensor).length;
    if (count !== length) throw new DatasetError(`${shapeText}, but there are ${count}`, base);
    values = indexedValues(tensor, length, base);
  } else {
    throw new DatasetError(`expected the numbers as an array or an index-keyed object, found ${describeValue(tensor)}`, base);
  }
  const vectors = new Float32Array(length);
  copyNumbers(values, vectors, 0, c.dimension, base);
  return vectors;
}

/** `{"0": x0, "1": x1, ...}` read in index order; a missing index is named. */
function indexedValues(tensor: JsonObject, length: number, base: string): unknown[] {
  const values = new Array<unknown>(length);
  for (let i = 0; i < length; i++) {
    const key = String(i);
    if (!Object.hasOwn(tensor, key)) throw new DatasetError(`there is no number at index ${i}`, base);
    values[i] = tensor[key];
  }
  return values;
}
