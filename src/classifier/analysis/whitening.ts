/**
 * Step 4 of the vote's space (feature-space.ts): within-class whitening with shrinkage, the one implementation of it.
 * The live store (knn/store/fitted-space.ts) runs whiteningSteps over its WebAssembly rows with kernels; the
 * evaluation and the calibration run it over plain arrays (whiteningDirections), and all score rows under the
 * metric with whitenedLength and whitenedCosine.
 */

/** The diagonal added to the within-class covariance of step 4, in units of its mean variance (its trace / dim). */
export const WHITENING_SHRINK = 1;
/** Step 4's covariance is estimated from at most this many example deviations: it bounds the cost of a refit. */
export const WHITENING_MAX_DEVIATIONS = 256;

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
  return untilDone(whiteningFactorSteps(gram, m, dim));
}

/**
 * whiteningFactor, yielding after each row of the factor and each column of its inverse: at m = 256 the whole of it
 * took one task of 25 to 40 ms in the live store's refit.
 */
function* whiteningFactorSteps(gram: ArrayLike<number>, m: number, dim: number): Generator<void, Float64Array | null> {
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
    yield;
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
    yield;
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
  const factor = yield* whiteningFactorSteps(gram, m, dim);
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

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
