/**
 * feature-space.ts in tensors, for KnnClassifier: each class's power-transformed rows and sums are kept until the
 * class changes, and a query's similarities to all examples cost two small matrix products per class, so the
 * per-frame cost stays that of the plain cosine search.
 */
import * as tf from '@tensorflow/tfjs';
import { CENTRING, WITHIN_SHRINK } from './feature-space';

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

/**
 * Similarities of `query` to every row of `spaces`, concatenated in order. Call inside tf.tidy.
 * Rather than projecting every stored row, it expands cos((x - c) * s, (q - c) * s) into one product of each
 * class's [rows, squares] with three columns: the query's weights, the centre's weights and the squared scale.
 */
export function spaceSimilarities(spaces: readonly ClassSpace[], query: tf.Tensor): tf.Tensor1D {
  const dim = spaces[0].rows.shape[1] / 2;
  const counts = spaces.map((s) => s.count);
  const total = counts.reduce((a, b) => a + b, 0);
  const countColumn = tf.tensor2d(counts, [counts.length, 1]);
  const sums = tf.stack(spaces.map((s) => s.sums)) as tf.Tensor3D;
  const [sum, sumSquares] = tf.unstack(sums, 1) as [tf.Tensor2D, tf.Tensor2D];
  const means = tf.div(sum, countColumn);
  const meanOfMeans = tf.mean(means, 0);
  const centre = tf.mul(meanOfMeans, CENTRING);
  let scale: tf.Tensor1D = tf.ones([dim]);
  if (spaces.length >= 2 && total > spaces.length) {
    const between = tf.mean(tf.square(tf.sub(means, meanOfMeans)), 0);
    const deviations = tf.relu(tf.sub(sumSquares, tf.mul(tf.square(means), countColumn)));
    const within = tf.div(tf.sum(deviations, 0), total - spaces.length);
    const fisher = tf.sqrt(tf.div(between, tf.add(tf.add(within, tf.mul(tf.mean(within), WITHIN_SHRINK)), 1e-12))) as tf.Tensor1D;
    // Identical class means leave nothing to weight by: plain (centred) cosine, as in feature-space.ts.
    scale = tf.where(tf.greater(tf.max(fisher), 0), fisher, scale);
  }
  const s2 = tf.square(scale);
  const q = tf.sub(powerRows(tf.reshape(query, [1, dim])).reshape([dim]), centre);
  const w = tf.mul(s2, q);
  const queryNorm = tf.sqrt(tf.sum(tf.mul(q, w)));
  const centreWeighted = tf.mul(centre, s2);
  const zeros = tf.zerosLike(s2);
  // Rows of [x, x^2] times these columns give x.w, x.(c s^2) and x^2.s^2.
  const columns = tf.concat([tf.stack([w, centreWeighted, zeros], 1), tf.stack([zeros, zeros, s2], 1)], 0);
  const products = tf.concat(spaces.map((s) => tf.matMul(s.rows, columns)));
  const [rowDotW, rowDotCentre, squaresDotS2] = tf.unstack(products, 1);
  const dots = tf.sub(rowDotW, tf.sum(tf.mul(centre, w)));
  const squaredNorms = tf.add(tf.sub(squaresDotS2, tf.mul(rowDotCentre, 2)), tf.sum(tf.mul(centre, centreWeighted)));
  const norms = tf.sqrt(tf.maximum(squaredNorms, 1e-12));
  return tf.div(dots, tf.maximum(tf.mul(norms, queryNorm), 1e-12)) as tf.Tensor1D;
}
