/**
 * The space the default ('soft-nearest') vote compares examples in, in plain JavaScript: the one definition of it.
 * The live k-NN store (knn/store/fitted-space.ts) fits it with these same functions (powerTransformInto,
 * spaceParameters, projectInto, and whitening.ts's sampledRows, whiteningSteps, whitenedLength), giving step 4
 * its deviations as WebAssembly rows with kernels for their products, and scores queries over those rows; the evaluation
 * (evaluate.ts) and the "none of these" calibration (knn/unknown.ts) score held-out examples in it through
 * foldSpace; and its tests compare the store against spaceSimilarities.
 *
 * Starting from unit-length activations, four steps, all measured on the few-shot datasets (docs/accuracy.md):
 * 1. Square root of every component (the activations are post-ReLU, so non-negative), then unit length again.
 *    It damps the few large components that dominate cosine similarity.
 * 2. Subtract half of the mean of the class means (each class counts once, whatever its number of examples).
 * 3. Scale every component by sqrt(between-class variance / (within-class variance + 0.1 x its mean)): the
 *    components that separate the stored classes count more, those that vary within a class count less.
 *    With no class holding two examples there is no within-class variance yet, and the scale is 1.
 * 4. Within-class whitening with shrinkage: similarity is the cosine under the metric Σ⁻¹, where Σ is the
 *    within-class covariance of the step-3 rows (from at most WHITENING_MAX_DEVIATIONS of them) plus
 *    WHITENING_SHRINK x its mean variance on the diagonal. Directions in which examples of one class differ from
 *    each other (pose, light, who is teaching) count less, whatever their angle to the axes; step 3 does that
 *    only along the axes. It is the covariance of linear discriminant analysis, solved in closed form: nothing is
 *    iterated or trained, and it is recomputed from the examples whenever they change.
 * Steps 1 to 3 come from per-class sums, here. Step 4 (whitening.ts) needs one Cholesky factor of an m x m matrix,
 * m <= 256.
 */
import { dot, whitenedCosine, whitenedRow, whiteningDirections, type WhitenedRow } from './whitening';

export const CENTRING = 0.5;
export const WITHIN_SHRINK = 0.1;

/** Step 1: sqrt of each component (negatives count as 0), scaled to unit length. Returns a new array. */
export function powerTransform(vector: ArrayLike<number>): Float32Array {
  return powerTransformInto(vector, new Float32Array(vector.length));
}

/** powerTransform into `out` (of the same length), which it returns. */
export function powerTransformInto(vector: ArrayLike<number>, out: Float32Array): Float32Array {
  powerTransformLength(vector, out);
  return out;
}

/** powerTransform into `out`, returning the length the square roots had before their scaling to unit length. */
export function powerTransformLength(vector: ArrayLike<number>, out: Float32Array): number {
  let sumSquares = 0;
  for (let i = 0; i < vector.length; i++) {
    out[i] = Math.sqrt(Math.max(0, vector[i]));
    sumSquares += out[i] * out[i];
  }
  const norm = Math.sqrt(sumSquares);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return norm;
}

/** Per-class sums of power-transformed rows: all that steps 2 and 3 need. */
export interface ClassStats {
  readonly count: number;
  readonly sum: Float64Array;
  readonly sumSquares: Float64Array;
}

export function classStats(transformedRows: readonly Float32Array[], dim: number): ClassStats {
  const sum = new Float64Array(dim);
  const sumSquares = new Float64Array(dim);
  for (const row of transformedRows) {
    for (let i = 0; i < dim; i++) {
      sum[i] += row[i];
      sumSquares[i] += row[i] * row[i];
    }
  }
  return { count: transformedRows.length, sum, sumSquares };
}

/** The centre and per-component scale of steps 2 and 3, from the stats of the classes that have examples. */
export interface SpaceParameters {
  readonly centre: Float64Array;
  readonly scale: Float64Array;
}

export function spaceParameters(stats: readonly ClassStats[], dim: number): SpaceParameters {
  const classes = stats.filter((s) => s.count > 0);
  const centre = new Float64Array(dim);
  const scale = new Float64Array(dim).fill(1);
  if (classes.length === 0) return { centre, scale };
  const meanOfMeans = new Float64Array(dim);
  for (const s of classes) for (let i = 0; i < dim; i++) meanOfMeans[i] += s.sum[i] / s.count / classes.length;
  for (let i = 0; i < dim; i++) centre[i] = CENTRING * meanOfMeans[i];
  const total = classes.reduce((n, s) => n + s.count, 0);
  if (classes.length < 2 || total <= classes.length) return { centre, scale };
  const between = new Float64Array(dim);
  const within = new Float64Array(dim);
  let withinMean = 0;
  for (let i = 0; i < dim; i++) {
    for (const s of classes) {
      const mean = s.sum[i] / s.count;
      between[i] += (mean - meanOfMeans[i]) ** 2 / classes.length;
      // Sum of squared deviations from the class mean; clamped because float rounding can make it slightly negative.
      within[i] += Math.max(0, s.sumSquares[i] - s.count * mean * mean);
    }
    within[i] /= total - classes.length;
    withinMean += within[i] / dim;
  }
  let any = false;
  for (let i = 0; i < dim; i++) {
    scale[i] = Math.sqrt(between[i] / (within[i] + WITHIN_SHRINK * withinMean + 1e-12));
    any ||= scale[i] > 0;
  }
  // Identical class means leave nothing to weight by: fall back to plain (centred) cosine.
  if (!any) scale.fill(1);
  return { centre, scale };
}

/** Steps 2 and 3 on a power-transformed vector, then unit length: cosine similarity becomes a dot product. */
export function project(transformed: ArrayLike<number>, space: SpaceParameters): Float32Array {
  const out = new Float32Array(transformed.length);
  projectInto(transformed, space, out);
  return out;
}

/** project(transformed) written into `out` from index `at` on, returning its length before the scaling to unit length. */
export function projectInto(transformed: ArrayLike<number>, space: SpaceParameters, out: Float32Array, at = 0): number {
  const { centre, scale } = space;
  let squares = 0;
  for (let i = 0; i < transformed.length; i++) {
    const v = (transformed[i] - centre[i]) * scale[i];
    out[at + i] = v;
    squares += v * v;
  }
  const length = Math.sqrt(squares);
  if (length > 0) for (let i = 0; i < transformed.length; i++) out[at + i] /= length;
  return length;
}

/**
 * A query's similarity to every stored example in this space, grouped by class in the order of `rowsByClass`.
 * @param rowsByClass each class's examples as unit (or any-length) vectors of `dim` numbers, flat.
 */
export function spaceSimilarities(
  rowsByClass: readonly Float32Array[],
  dim: number,
  query: ArrayLike<number>,
): Float32Array[] {
  const transformed = rowsByClass.map((flat) =>
    Array.from({ length: flat.length / dim }, (_, r) => powerTransform(flat.subarray(r * dim, (r + 1) * dim))),
  );
  const space = spaceParameters(
    transformed.map((rows) => classStats(rows, dim)),
    dim,
  );
  const q = project(powerTransform(query), space);
  const projected = transformed.map((rows) => rows.map((row) => project(row, space)));
  const directions = whiteningDirections(projected, dim);
  const wq = whitenedRow(q, directions, dim);
  return projected.map((rows) => Float32Array.from(rows, (row) => whitenedCosine(whitenedRow(row, directions, dim), wq)));
}

/** `stats` without the (transformed) `rows` a fold holds out, subtracted one after another. */
export function statsWithout(stats: ClassStats, rows: readonly Float32Array[]): ClassStats {
  const sum = stats.sum.slice();
  const sumSquares = stats.sumSquares.slice();
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      sum[i] -= row[i];
      sumSquares[i] -= row[i] * row[i];
    }
  }
  return { count: stats.count - rows.length, sum, sumSquares };
}

/**
 * The space of one fold of held-out scoring: steps 2 and 3 from `stats` (the sums without the held-out rows), step 4
 * estimated from `keptByClass` (power-transformed rows). Returns what puts a power-transformed row in it.
 */
export function foldSpace(stats: readonly ClassStats[], keptByClass: readonly (readonly Float32Array[])[], dim: number): (row: Float32Array) => WhitenedRow {
  const space = spaceParameters(stats, dim);
  const directions = whiteningDirections(
    keptByClass.map((rows) => rows.map((row) => project(row, space))),
    dim,
  );
  return (row) => whitenedRow(project(row, space), directions, dim);
}

/** `row` at unit length (the 'mean-of-k' vote's plain cosine); a zero row is copied as it is. */
export function unitLength(row: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(row, row));
  return norm > 0 ? row.map((x) => x / norm) : row.slice();
}
