/**
 * Reads the form knn-classifier tutorials save: an array of `[label, numbers, shape]`, one per class, made by
 *
 *   Object.entries(classifier.getClassifierDataset()).map(([label, t]) => [label, Array.from(t.dataSync()), t.shape])
 *
 * `numbers` is the class's matrix written out row after row and `shape` its `[examples, dimension]`. The same file,
 * with the class's rows as they are stored, is what the app's "Export for knn-classifier" writes
 * (write-knn-classifier.ts), so a page using the package loads it with setClassifierDataset.
 */
import {
  checkClassCount,
  checkDimension,
  checkLabel,
  checkTotalExamples,
  checkUniqueLabels,
  copyNumbers,
  isWholeNumber,
} from './checks';
import { DatasetError, describeValue, quoteLabel } from './errors';
import type { DatasetLimits } from './limits';
import type { ParsedDataset } from './types';

const ENTRY = '[label, numbers, shape] (knn-classifier\'s getClassifierDataset(), each tensor as [label, Array.from(t.dataSync()), t.shape])';

export function readKnnClassifier(root: readonly unknown[], limits: DatasetLimits): ParsedDataset {
  if (root.length === 0) throw new DatasetError('the array holds no classes');
  checkClassCount(root.length, 'the array', limits);
  const entries = root.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 3 || !Array.isArray(entry[1]) || !Array.isArray(entry[2])) {
      throw new DatasetError(`expected ${ENTRY}, found ${describeEntry(entry)}`, `[${i}]`);
    }
    return entry as [unknown, unknown[], unknown[]];
  });
  const labels = entries.map(([label], i) => checkLabel(label, `[${i}]`, limits));
  const whereOf = (i: number) => `[${i}] ${quoteLabel(labels[i])}`;
  checkUniqueLabels(labels, whereOf);

  let dimension: number | null = null;
  let total = 0;
  const shapes = entries.map(([, numbers, shape], i) => {
    const where = whereOf(i);
    if (shape.length !== 2) {
      throw new DatasetError(`the shape must be [examples, dimension], not ${shape.length} numbers long`, where);
    }
    const [rows, dim] = shape;
    if (!isWholeNumber(rows) || rows < 1) throw new DatasetError(`the shape's examples must be a whole number of at least 1, not ${describeValue(rows)}`, where);
    checkDimension(dim, where, limits);
    const d = dim as number;
    if (numbers.length !== rows * d) {
      throw new DatasetError(`the shape [${rows}, ${d}] needs ${rows * d} numbers, but there are ${numbers.length}`, where);
    }
    if (dimension === null) dimension = d;
    else if (d !== dimension) {
      throw new DatasetError(`this class's examples have ${d} numbers but ${whereOf(0)}'s have ${dimension}: one file holds one model's vectors`, where);
    }
    total += rows;
    return rows;
  });
  checkTotalExamples(total, limits);
  const dim = dimension!;
  const classes = entries.map(([, numbers], i) => {
    const vectors = new Float32Array(shapes[i] * dim);
    copyNumbers(numbers, vectors, 0, dim, whereOf(i));
    return { label: labels[i], color: null, vectors, thumbnails: [] };
  });
  return { source: 'knn-classifier', model: null, dimension: dim, classes };
}

function describeEntry(entry: unknown): string {
  if (!Array.isArray(entry)) return describeValue(entry);
  return `[${entry.map((item: unknown) => (Array.isArray(item) ? 'an array' : describeValue(item))).join(', ')}]`.slice(0, 120);
}
