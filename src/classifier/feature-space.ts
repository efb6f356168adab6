/**
 * The space the default ('soft-nearest') vote compares examples in, in plain JavaScript. KnnClassifier computes
 * the same numbers with tensors; this version is the reference its tests compare against, and what the
 * evaluation (evaluate.ts) runs on plain vectors.
 *
 * Starting from unit-length activations, three cheap steps, all measured on the few-shot datasets (docs/accuracy.md):
 * 1. Square root of every component (the activations are post-ReLU, so non-negative), then unit length again.
 *    It damps the few large components that dominate cosine similarity.
 * 2. Subtract half of the mean of the class means (each class counts once, whatever its number of examples).
 * 3. Scale every component by sqrt(between-class variance / (within-class variance + 0.1 x its mean)): the
 *    components that separate the stored classes count more, those that vary within a class count less.
 *    With no class holding two examples there is no within-class variance yet, and the scale is 1.
 * Similarity is the cosine in that space. Everything comes from per-class sums, so nothing is trained.
 */

export const CENTRING = 0.5;
export const WITHIN_SHRINK = 0.1;

/** Step 1: sqrt of each component (negatives count as 0), scaled to unit length. Returns a new array. */
export function powerTransform(vector: ArrayLike<number>): Float32Array {
  const out = new Float32Array(vector.length);
  let sumSquares = 0;
  for (let i = 0; i < vector.length; i++) {
    out[i] = Math.sqrt(Math.max(0, vector[i]));
    sumSquares += out[i] * out[i];
  }
  const norm = Math.sqrt(sumSquares);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
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
  let sumSquares = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = (transformed[i] - space.centre[i]) * space.scale[i];
    sumSquares += out[i] * out[i];
  }
  const norm = Math.sqrt(sumSquares);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
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
  return transformed.map((rows) => Float32Array.from(rows, (row) => dot(project(row, space), q)));
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
