/** Checks every importer shares. Each throws a DatasetError that says what is wrong and where. */
import { collapseLabel } from '../app/labels';
import { DatasetError, describeValue, quoteLabel } from './errors';
import type { DatasetLimits } from './limits';

export type JsonObject = Record<string, unknown>;

/** A JSON object (not an array or null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A location such as `classes[2] "Rock", example 17, number 403` (indices from 0, as in the file). */
export function at(base: string, example?: number, number?: number): string {
  let where = base;
  if (example !== undefined) where += `, example ${example}`;
  if (number !== undefined) where += `, number ${number}`;
  return where;
}

/**
 * Labels become one line of plain text (as the app's own renames do). Any string is accepted as text,
 * including `__proto__` and markup: labels are only ever array entries and rendered as text, never keys or HTML.
 */
export function checkLabel(raw: unknown, where: string, limits: DatasetLimits): string {
  if (typeof raw !== 'string') throw new DatasetError(`the label must be text, not ${describeValue(raw)}`, where);
  const label = collapseLabel(raw);
  if (!label) throw new DatasetError('the label is empty', where);
  if (label.length > limits.maxLabelLength) {
    throw new DatasetError(`the label is ${label.length} characters long; the limit is ${limits.maxLabelLength}`, where);
  }
  return label;
}

/** Two classes with one label could not be told apart, in the app or in a merge. */
export function checkUniqueLabels(labels: readonly string[], whereOf: (index: number) => string): void {
  const first = new Map<string, number>();
  labels.forEach((label, i) => {
    const earlier = first.get(label);
    if (earlier !== undefined) {
      throw new DatasetError(`the label ${quoteLabel(label)} is already used by ${whereOf(earlier)}`, whereOf(i));
    }
    first.set(label, i);
  });
}

export function checkClassCount(count: number, where: string, limits: DatasetLimits): void {
  if (count > limits.maxClasses) {
    throw new DatasetError(`there are ${count} classes; the limit is ${limits.maxClasses}`, where);
  }
}

export function checkTotalExamples(total: number, limits: DatasetLimits): void {
  if (total > limits.maxExamples) {
    throw new DatasetError(`the file holds ${total} examples; the limit is ${limits.maxExamples}`);
  }
}

export function checkDimension(value: unknown, where: string, limits: DatasetLimits): number {
  if (!isWholeNumber(value) || value < 1) {
    throw new DatasetError(`the dimension must be a whole number of at least 1, not ${describeValue(value)}`, where);
  }
  if (value > limits.maxDimension) {
    throw new DatasetError(`the dimension is ${value}; the limit is ${limits.maxDimension}`, where);
  }
  return value;
}

export function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * One JSON number as a float32. JSON has no NaN or Infinity, but writers turn them into null or strings,
 * and a number beyond float32's range would silently become Infinity.
 */
export function toFloat32(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new DatasetError(`expected a number, found ${describeValue(value)}`, where);
  if (!Number.isFinite(value)) throw new DatasetError(`${value} is not a usable number`, where);
  const single = Math.fround(value);
  if (!Number.isFinite(single)) throw new DatasetError(`${value} is too large for a 32-bit float`, where);
  return single;
}

/**
 * Copies JSON numbers into `out` from `offset`, as float32s; `values[i]` is number i % dimension of example
 * i / dimension (plus `offset / dimension`) for the error location. Checked per number without building strings.
 */
export function copyNumbers(values: ArrayLike<unknown>, out: Float32Array, offset: number, dimension: number, base: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(Math.fround(value))) {
      const index = offset + i;
      const example = Math.floor(index / dimension);
      toFloat32(value, at(base, example, index - example * dimension)); // throws, naming the place
    }
    out[offset + i] = value as number;
  }
}

/** Decoded binary vectors carry NaN and Infinity bit patterns that JSON could not. */
export function checkFinite(vectors: Float32Array, dimension: number, base: string): void {
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) {
      const example = Math.floor(i / dimension);
      throw new DatasetError(`${vectors[i]} is not a usable number`, at(base, example, i - example * dimension));
    }
  }
}

const THUMBNAIL = /^data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** Thumbnails go straight into <img src>, so only image data URLs pass: no links, no scripts, no SVG. */
export function checkThumbnails(value: unknown, where: string, limits: DatasetLimits): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new DatasetError(`"thumbnails" must be an array, not ${describeValue(value)}`, where);
  if (value.length > limits.maxThumbnailsPerClass) {
    throw new DatasetError(`there are ${value.length} thumbnails; the limit is ${limits.maxThumbnailsPerClass} per class`, where);
  }
  value.forEach((url: unknown, i) => {
    const here = `${where}, thumbnail ${i}`;
    if (typeof url !== 'string') throw new DatasetError(`expected a data URL, found ${describeValue(url)}`, here);
    if (url.length > limits.maxThumbnailLength) {
      throw new DatasetError(`the thumbnail is ${url.length} characters long; the limit is ${limits.maxThumbnailLength}`, here);
    }
    if (!THUMBNAIL.test(url) || (url.length - url.indexOf(',') - 1) % 4 !== 0) throw new DatasetError('not a base64 JPEG, PNG or WebP data URL', here);
  });
  return value as string[];
}
