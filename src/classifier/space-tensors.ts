/**
 * feature-space.ts in tensors, for KnnClassifier: each class's power-transformed rows and sums are kept until the
 * class changes (ClassSpace); the space of all classes is fitted from them when some class has changed
 * (FittedSpace), and a query's similarities to all examples then cost one matrix product.
 */
import * as tf from '@tensorflow/tfjs';
import { CENTRING, WITHIN_SHRINK, deviationSample, whiteningFactor } from './feature-space';

/** One class's examples in the form the space needs; owned by whoever built it (dispose with disposeClassSpace). */
export interface ClassSpace {
  readonly count: number;
  /** [n, 2 x dim]: the power-transformed unit rows, then the same squared (for lengths in the scaled space). */
  readonly rows: tf.Tensor2D;
  /** [2, dim]: the sum of the transformed rows, and of their squares. */
  readonly sums: tf.Tensor2D;
}

/** sqrt of each component (negatives as 0), each row scaled to unit length. */
function powerRows(x: tf.Tensor2D): tf.Tensor2D {
  const root = tf.sqrt(tf.relu(x));
  return tf.div(root, tf.maximum(tf.norm(root, 'euclidean', 1, true), 1e-12));
}

function prepareRows(matrix: tf.Tensor2D): tf.Tensor2D {
  const rows = powerRows(matrix);
  return tf.concat([rows, tf.square(rows)], 1);
}

/** [2, dim]: column sums of prepared rows, split into the rows' half and the squares' half. */
function sumsOf(rows: tf.Tensor2D): tf.Tensor2D {
  return tf.reshape(tf.sum(rows, 0), [2, -1]);
}

export function classSpace(matrix: tf.Tensor2D): ClassSpace {
  return tf.tidy(() => {
    const rows = prepareRows(matrix);
    return { count: matrix.shape[0], rows, sums: sumsOf(rows) };
  });
}

/**
 * `space` for `matrix`, which is the matrix `space` was built from plus rows at the end (while recording, a class
 * gains one every frame): only the new rows are prepared. The result is bit for bit what classSpace(matrix) gives,
 * so votes do not depend on how examples arrived. Returns a new space; `space` is left for the caller to dispose.
 */
export function extendClassSpace(space: ClassSpace, matrix: tf.Tensor2D): ClassSpace {
  return tf.tidy(() => {
    const added = prepareRows(tf.slice(matrix, [space.count, 0], [-1, -1]));
    const rows = tf.concat([space.rows, added]);
    return { count: matrix.shape[0], rows, sums: sumsOf(rows) };
  });
}

export function disposeClassSpace(space: ClassSpace): void {
  tf.dispose([space.rows, space.sums]);
}

/** Steps 2 and 3 of feature-space.ts from the classes' sums: the centre and the per-component scale. Call inside tf.tidy. */
function centreAndScale(spaces: readonly ClassSpace[], dim: number): { centre: tf.Tensor1D; scale: tf.Tensor1D } {
  const counts = spaces.map((s) => s.count);
  const total = counts.reduce((a, b) => a + b, 0);
  const countColumn = tf.tensor2d(counts, [counts.length, 1]);
  const sums = tf.stack(spaces.map((s) => s.sums)) as tf.Tensor3D;
  const [sum, sumSquares] = tf.unstack(sums, 1) as [tf.Tensor2D, tf.Tensor2D];
  const means = tf.div(sum, countColumn);
  const meanOfMeans = tf.mean(means, 0);
  const centre = tf.mul(meanOfMeans, CENTRING) as tf.Tensor1D;
  let scale: tf.Tensor1D = tf.ones([dim]);
  if (spaces.length >= 2 && total > spaces.length) {
    const between = tf.mean(tf.square(tf.sub(means, meanOfMeans)), 0);
    const deviations = tf.relu(tf.sub(sumSquares, tf.mul(tf.square(means), countColumn)));
    const within = tf.div(tf.sum(deviations, 0), total - spaces.length);
    const fisher = tf.sqrt(tf.div(between, tf.add(tf.add(within, tf.mul(tf.mean(within), WITHIN_SHRINK)), 1e-12))) as tf.Tensor1D;
    // Identical class means leave nothing to weight by: plain (centred) cosine, as in feature-space.ts.
    scale = tf.where(tf.greater(tf.max(fisher), 0), fisher, scale);
  }
  return { centre, scale };
}

/** Steps 2 and 3 on power-transformed rows [n, dim], then unit length. */
function projectRows(rows: tf.Tensor2D, centre: tf.Tensor1D, scale: tf.Tensor1D): tf.Tensor2D {
  const z = tf.mul(tf.sub(rows, centre), scale);
  return tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12));
}

/** One class's examples in a fitted space: each step-3 row z then −E z ([n, dim + m]), and lengths under step 4's metric. */
export interface FittedClass {
  readonly count: number;
  readonly rows: tf.Tensor2D;
  readonly norms: tf.Tensor1D;
}

/**
 * The whole space for a set of classes, fitted to their examples and reused by every query until a class changes:
 * the examples projected (steps 2 and 3) and whitened (step 4) so that a query costs one matrix product per class.
 * Owned by whoever built it (dispose with disposeFittedSpace); it shares no tensor with any other.
 */
export interface FittedSpace {
  readonly centre: tf.Tensor1D;
  readonly scale: tf.Tensor1D;
  /** Step 4's E, transposed: [dim, m], or null before any class has two examples. */
  readonly directions: tf.Tensor2D | null;
  /** The classes, in the order of the spaces it was fitted to. */
  readonly classes: readonly FittedClass[];
}

/**
 * Step-3 rows [n, dim] in a fitted space's form. Call inside tf.tidy. (Products here never ask tfjs to transpose
 * an operand: wasm's matMul was 5 to 10x slower with transposeB here.)
 */
function fittedRows(projected: tf.Tensor2D, directions: tf.Tensor2D | null): { rows: tf.Tensor2D; norms: tf.Tensor1D } {
  if (!directions) return { rows: projected, norms: tf.norm(projected, 'euclidean', 1) as tf.Tensor1D };
  const e = tf.matMul(projected, directions);
  const squared = tf.sub(tf.sum(tf.square(projected), 1), tf.sum(tf.square(e), 1));
  return { rows: tf.concat([projected, tf.neg(e)], 1) as tf.Tensor2D, norms: tf.sqrt(tf.maximum(squared, 1e-12)) as tf.Tensor1D };
}

/**
 * Fits the space to `spaces` (every class with examples, in vote order). Its cost grows with the number of
 * examples n: about n x dim x 256 multiplications, and a 256 x 256 Cholesky factor in JavaScript. The classes'
 * tensors are only read before the first await, so they may be disposed while it runs.
 */
export async function fitSpace(spaces: readonly ClassSpace[]): Promise<FittedSpace> {
  const dim = spaces[0].rows.shape[1] / 2;
  const total = spaces.reduce((n, s) => n + s.count, 0);
  const { centre, scale, byClass, sample } = tf.tidy(() => {
    const { centre, scale } = centreAndScale(spaces, dim);
    const byClass = spaces.map((s) => projectRows(tf.slice(s.rows, [0, 0], [-1, dim]), centre, scale));
    const deviations = tf.concat(byClass.map((z) => tf.sub(z, tf.mean(z, 0)) as tf.Tensor2D));
    const sample = total > spaces.length ? (tf.gather(deviations, deviationSample(total)) as tf.Tensor2D) : undefined;
    return { centre, scale, byClass, sample };
  });
  let directions: tf.Tensor2D | null = null;
  if (sample) {
    try {
      const gram = tf.tidy(() => tf.matMul(sample, tf.transpose(sample)));
      const values = await gram.data();
      gram.dispose();
      const m = sample.shape[0];
      const factor = whiteningFactor(values, m, dim);
      if (factor) directions = tf.tidy(() => tf.transpose(tf.matMul(tf.tensor2d(Float32Array.from(factor), [m, m]), sample)) as tf.Tensor2D);
    } catch (error) {
      tf.dispose([centre, scale, ...byClass]);
      throw error;
    } finally {
      sample.dispose();
    }
  }
  const classes = byClass.map((projected, i) => {
    const { rows, norms } = tf.tidy(() => fittedRows(projected, directions));
    if (rows !== projected) projected.dispose();
    return { count: spaces[i].count, rows, norms };
  });
  return { centre, scale, directions, classes };
}

/**
 * `space` with class `index` replaced by `grown`, a ClassSpace of the same class with rows appended since the fit:
 * only the new rows are projected and whitened, with the fitted centre, scale and directions, which are not
 * recomputed. So it costs (new rows) x dim x 256, and approximates fitSpace: for while examples are being recorded.
 * Returns a new space; `space` is left for the caller to dispose.
 */
export function extendFittedSpace(space: FittedSpace, index: number, grown: ClassSpace): FittedSpace {
  const dim = space.centre.shape[0];
  const old = space.classes[index];
  const { rows, norms } = tf.tidy(() => {
    const added = fittedRows(projectRows(tf.slice(grown.rows, [old.count, 0], [-1, dim]), space.centre, space.scale), space.directions);
    return { rows: tf.concat([old.rows, added.rows]) as tf.Tensor2D, norms: tf.concat([old.norms, added.norms]) as tf.Tensor1D };
  });
  // Clones share their data with the originals (tfjs counts references), so this copies no rows.
  return {
    centre: tf.clone(space.centre),
    scale: tf.clone(space.scale),
    directions: space.directions ? tf.clone(space.directions) : null,
    classes: space.classes.map((c, i) => (i === index ? { count: grown.count, rows, norms } : { count: c.count, rows: tf.clone(c.rows), norms: tf.clone(c.norms) })),
  };
}

export function disposeFittedSpace(space: FittedSpace): void {
  tf.dispose([space.centre, space.scale, ...space.classes.flatMap((c) => [c.rows, c.norms])]);
  if (space.directions) space.directions.dispose();
}

/**
 * Similarities of `query` (a raw embedding) to every example `space` was fitted to, class after class: cosines
 * under step 4's metric, (z.q − Ez.Eq) / (|z| |q|). One product of each class's fitted rows with [q, Eq]. Call
 * inside tf.tidy.
 */
export function spaceSimilarities(space: FittedSpace, query: tf.Tensor): tf.Tensor1D {
  const dim = space.centre.shape[0];
  const q = projectRows(powerRows(tf.reshape(query, [1, dim])), space.centre, space.scale);
  const eq = space.directions ? tf.matMul(q, space.directions) : null;
  const column = eq ? tf.concat([q, eq], 1) : q;
  const squared = eq ? tf.sub(tf.sum(tf.square(q)), tf.sum(tf.square(eq))) : tf.sum(tf.square(q));
  const queryNorm = tf.sqrt(tf.maximum(squared, 1e-12));
  const columnVector = tf.reshape(column, [-1, 1]);
  const dots = tf.concat(space.classes.map((c) => tf.reshape(tf.matMul(c.rows, columnVector), [-1])));
  const norms = tf.concat(space.classes.map((c) => c.norms));
  return tf.div(dots, tf.maximum(tf.mul(norms, queryNorm), 1e-12)) as tf.Tensor1D;
}
