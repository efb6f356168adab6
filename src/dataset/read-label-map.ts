/**
 * Reads a plain `{"label": [[x, y, ...], ...], ...}` map: knn-classifier's getClassifierDataset() with each
 * tensor written out by arraySync(). Keys are read with Object.entries into an array, so a label such as
 * `__proto__` is just text.
 */
import {
  checkClassCount,
  checkDimension,
  checkLabel,
  checkTotalExamples,
  checkUniqueLabels,
  copyNumbers,
  type JsonObject,
} from './checks';
import { DatasetError, describeValue, quoteLabel } from './errors';
import type { DatasetLimits } from './limits';
import type { ParsedDataset } from './types';

export function readLabelMap(root: JsonObject, limits: DatasetLimits): ParsedDataset {
  const entries = Object.entries(root);
  checkClassCount(entries.length, 'the label map', limits);
  const labels = entries.map(([key]) => checkLabel(key, `the key ${quoteLabel(key)}`, limits));
  const whereOf = (i: number) => `class ${quoteLabel(labels[i])}`;
  checkUniqueLabels(labels, whereOf);

  let dimension: number | null = null;
  let dimensionFrom = '';
  let total = 0;
  entries.forEach(([, rows], i) => {
    if (!Array.isArray(rows)) {
      throw new DatasetError(`expected an array of vectors, found ${describeValue(rows)}`, whereOf(i));
    }
    rows.forEach((row: unknown, r) => {
      const here = `${whereOf(i)}, example ${r}`;
      if (!Array.isArray(row)) throw new DatasetError(`expected an array of numbers, found ${describeValue(row)}`, here);
      if (dimension === null) {
        dimension = checkDimension(row.length, here, limits);
        dimensionFrom = here;
      } else if (row.length !== dimension) {
        throw new DatasetError(
          `this example has ${row.length} numbers but ${dimensionFrom} has ${dimension}: one file holds one model's vectors`,
          here,
        );
      }
    });
    total += rows.length;
  });
  checkTotalExamples(total, limits);
  if (dimension === null) throw new DatasetError('there are no vectors, so their dimension is unknown');
  const dim: number = dimension;

  const classes = entries.map(([, rows], i) => {
    const list = rows as unknown[][];
    const vectors = new Float32Array(list.length * dim);
    list.forEach((row, r) => copyNumbers(row, vectors, r * dim, dim, whereOf(i)));
    return { label: labels[i], color: null, vectors, thumbnails: [] };
  });
  return { source: 'label-map', model: null, dimension: dim, classes };
}
