/**
 * The space the default ('soft-nearest') vote compares examples in, in plain JavaScript: the one definition of it.
 * The live k-NN store (knn/store/fitted-space.ts) fits it with these same functions (powerTransformInto,
 * spaceParameters, projectInto, sampledRows, whiteningSteps, whitenedLength), giving step 4 its deviations as
 * WebAssembly rows with kernels for their products, and scores queries over those rows; the evaluation
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
 * Steps 1 to 3 come from per-class sums. Step 4 needs one Cholesky factor of an m x m matrix, m <= 256.
 */

export const CENTRING = 0.5;
export const WITHIN_SHRINK = 0.1;
/** The diagonal added to the within-class covariance of step 4, in units of its mean variance (its trace / dim). */
export const WHITENING_SHRINK = 1;
/** Step 4's covariance is estimated from at most this many example deviations: it bounds the cost of a refit. */
export const WHITENING_MAX_DEVIATIONS = 256;

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
 * Which rows of the pool of all examples (class after class, in order) step 4 estimates the covariance from: all
 * of them up to `max`, else `max` of them evenly spaced, so every class contributes in proportion to its size.
 */
export function deviationSample(total: number, max = WHITENING_MAX_DEVIATIONS): number[] {
  const m = Math.min(total, max);
  return Array.from({ length: m }, (_, i) => Math.floor((i * total) / m));
}

/** deviationSample of classes holding `counts` examples, as each sampled example's class and row. */
export function sampledRows(counts: readonly number[], max = WHITENING_MAX_DEVIATIONS): { readonly c: number; readonly r: number }[] {
  const starts = counts.map((_, c) => counts.slice(0, c).reduce((a, b) => a + b, 0));
  return deviationSample(
    counts.reduce((a, b) => a + b, 0),
    max,
  ).map((global) => {
    let c = 0;
    while (c + 1 < starts.length && starts[c + 1] <= global) c++;
    return { c, r: global - starts[c] };
  });
}

/**
 * Step 4's metric from the Gram matrix G = D Dᵀ of the m sampled deviations D (rows: an example minus its class
 * mean, in the step-3 space): with λ = WHITENING_SHRINK x trace(G) / dim and L Lᵀ = λ I + G (Cholesky), the
 * matrix T = L⁻¹ (lower triangular, m x m, row-major). With E = T D, (λ / n) Σ⁻¹ = I − Eᵀ E by the Woodbury
 * identity, where Σ = λ / n I + Dᵀ D / n for any n: so cosines under Σ⁻¹ only need x.q − (E x).(E q).
 * Returns null when the deviations are all zero (nothing to whiten).
 */
export function whiteningFactor(gram: ArrayLike<number>, m: number, dim: number): Float64Array | null {
  let trace = 0;
  for (let i = 0; i < m; i++) trace += gram[i * m + i];
  if (!(trace > 0)) return null;
  const lambda = (WHITENING_SHRINK * trace) / dim;
  // Cholesky of λ I + G, lower triangle; λ > 0 keeps it positive definite.
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = gram[i * m + j] + (i === j ? lambda : 0);
      for (let k = 0; k < j; k++) sum -= l[i * m + k] * l[j * m + k];
      l[i * m + j] = i === j ? Math.sqrt(sum) : sum / l[j * m + j];
    }
  }
  // T = L⁻¹, column by column by forward substitution.
  const t = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    t[j * m + j] = 1 / l[j * m + j];
    for (let i = j + 1; i < m; i++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l[i * m + k] * t[k * m + j];
      t[i * m + j] = sum / l[i * m + i];
    }
  }
  return t;
}

/**
 * The m sampled deviations of step 4 (an example minus its class mean, in the step-3 space), held however the
 * caller holds them: plain arrays here, WebAssembly rows with their kernels in the live store.
 */
export interface Deviations {
  readonly count: number;
  /** Writes the dots of deviation i with deviations 0 to i into out[0] to out[i]. */
  dotsUpTo(i: number, out: Float64Array): void;
  /** Makes row i of E: deviations 0 to i combined with these coefficients (row i of T, whiteningFactor). */
  combine(i: number, coefficients: Float64Array): void;
}

/**
 * Step 4 fitted to `deviations`, the one way the live store, the evaluation and the calibration all fit it: the
 * lower triangle of their Gram matrix G, its factor T (whiteningFactor), then E = T D a row at a time. It yields
 * between rows so that the live store can give the page its turn (each row costs up to a few milliseconds at
 * m = 256); untilDone runs it straight through. Returns false when there is nothing to whiten (E was not made).
 */
export function* whiteningSteps(deviations: Deviations, dim: number): Generator<void, boolean> {
  const m = deviations.count;
  const gram = new Float64Array(m * m);
  const dots = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    deviations.dotsUpTo(i, dots);
    gram.set(dots.subarray(0, i + 1), i * m);
    yield;
  }
  const factor = whiteningFactor(gram, m, dim);
  yield;
  if (!factor) return false;
  for (let i = 0; i < m; i++) {
    deviations.combine(i, factor.subarray(i * m, i * m + i + 1));
    yield;
  }
  return true;
}

/** Runs a generator of steps to its end, without pausing, and returns its result. */
export function untilDone<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Step 4's E (m x dim, row-major) for the step-3 rows of each class, or null when no class has two examples or
 * they do not vary.
 */
export function whiteningDirections(projectedByClass: readonly (readonly Float32Array[])[], dim: number): Float32Array | null {
  const counts = projectedByClass.map((rows) => rows.length);
  if (counts.reduce((a, b) => a + b, 0) <= counts.filter((n) => n > 0).length) return null;
  const means = projectedByClass.map((rows) => {
    const mean = new Float64Array(dim);
    for (const row of rows) for (let i = 0; i < dim; i++) mean[i] += row[i] / rows.length;
    return mean;
  });
  const sample = sampledRows(counts).map(({ c, r }) => Float64Array.from(means[c], (m, i) => projectedByClass[c][r][i] - m));
  const e = new Float32Array(sample.length * dim);
  const whitened = untilDone(
    whiteningSteps(
      {
        count: sample.length,
        dotsUpTo: (i, out) => {
          for (let j = 0; j <= i; j++) out[j] = dot(sample[i], sample[j]);
        },
        combine: (i, coefficients) => {
          coefficients.forEach((f, k) => {
            if (f !== 0) for (let c = 0; c < dim; c++) e[i * dim + c] += f * sample[k][c];
          });
        },
      },
      dim,
    ),
  );
  return whitened ? e : null;
}

/** A step-3 row with what step 4's metric needs of it: E x, and its length under the metric. */
export interface WhitenedRow {
  readonly row: ArrayLike<number>;
  readonly e: Float64Array;
  readonly norm: number;
}

export function whitenedRow(row: ArrayLike<number>, directions: Float32Array | null, dim: number): WhitenedRow {
  const m = directions ? directions.length / dim : 0;
  const e = new Float64Array(m);
  for (let r = 0; r < m; r++) e[r] = dot(directions!.subarray(r * dim, (r + 1) * dim), row);
  return { row, e, norm: whitenedLength(row, e) };
}

/** The length under step 4's metric of a step-3 row, given its E x: sqrt(x.x − Ex.Ex), kept above zero. */
export function whitenedLength(row: ArrayLike<number>, e: ArrayLike<number>): number {
  let squared = dot(row, row);
  for (let k = 0; k < e.length; k++) squared -= e[k] * e[k];
  return Math.sqrt(Math.max(squared, 1e-12));
}

/** Cosine of two rows under step 4's metric: (x.q − Ex.Eq) / (|x|_E |q|_E); plain cosine with no directions. */
export function whitenedCosine(x: WhitenedRow, q: WhitenedRow): number {
  return (dot(x.row, q.row) - dot(x.e, q.e)) / Math.max(x.norm * q.norm, 1e-12);
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

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
