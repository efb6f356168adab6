/**
 * Writes this app's format (docs/dataset-format.md): by default the exact bits of every float32 (version 1, what
 * every reader reads); with a compact `encoding`, a version 2 file of float16 or 8-bit vectors.
 */
import { defaultColor } from '../app/labels';
import { FLOAT32_FORMAT_VERSION, FORMAT_NAME, FORMAT_VERSION, type Dataset } from './types';
import { encodeVectors, type VectorEncoding } from './vector-encoding';

export interface SerializeOptions {
  /** How the vectors are stored: 'float32' (the default: exact) or a compact encoding (vector-encoding.ts). */
  readonly encoding?: VectorEncoding;
}

/**
 * One JSON text, a class per line so that a diff or a pager stays readable. Classes without a colour
 * (from ml5.js or a label map) get the app's default for their position.
 */
export function serializeDataset(dataset: Dataset, options: SerializeOptions = {}): string {
  return serializeDatasetParts(dataset, options).join('');
}

/**
 * The same text in parts (the header, each class's line, the end), e.g. for a Blob, which takes them as they are:
 * joined, 50,000 examples would be one string of 340 MB. `onClass` hears each class written (for progress).
 */
export function serializeDatasetParts(dataset: Dataset, options: SerializeOptions = {}, onClass?: (done: number, total: number) => void): string[] {
  const { dimension } = dataset;
  const encoding = options.encoding ?? 'float32';
  if (!Number.isSafeInteger(dimension) || dimension < 1) throw new RangeError(`The dimension must be a whole number, not ${dimension}.`);
  const classes = dataset.classes.map((c, i) => {
    if (c.vectors.length % dimension !== 0) {
      throw new RangeError(`Class ${i} has ${c.vectors.length} numbers, which are not rows of ${dimension}.`);
    }
    const output = c.output && c.output.kind !== 'none' ? { output: c.output } : {};
    const head = JSON.stringify({ label: c.label, color: c.color ?? defaultColor(i + 1), ...output, examples: c.vectors.length / dimension });
    const thumbnails = c.thumbnails.length ? `,"thumbnails":${JSON.stringify(c.thumbnails)}` : '';
    const encoded = encodeVectors(c.vectors, dimension, encoding);
    const scales = encoded.scales === undefined ? '' : `,"scales":"${encoded.scales}"`;
    onClass?.(i + 1, dataset.classes.length);
    // Base64 needs no JSON escaping, and JSON.stringify would scan (and copy) megabytes to learn that.
    return `${i > 0 ? ',\n' : ''}${head.slice(0, -1)},"vectors":"${encoded.vectors}"${scales}${thumbnails}}`;
  });
  const version = encoding === 'float32' ? { version: FLOAT32_FORMAT_VERSION } : { version: FORMAT_VERSION, encoding };
  const header = JSON.stringify({ format: FORMAT_NAME, ...version, model: dataset.model, dimension });
  return [`${header.slice(0, -1)},"classes":[\n`, ...classes, '\n]}\n'];
}
