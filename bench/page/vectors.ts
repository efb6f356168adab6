/** Seeded stand-ins for stored examples: search, storage and file costs depend on their count, not their content. */
import { mulberry32 } from '../../scripts/eval/sampling';

/** How many of `n` examples each of `classes` classes gets (as even as possible, the first classes one more). */
export function perClass(n: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) => Math.floor(n / classes) + (c < n % classes ? 1 : 0));
}

/**
 * One Float32Array per class of `counts[c]` rows of `dim` numbers, each row of unit length and non-negative (as
 * MobileNet's pooled activations are, once the k-NN store has normalised them). The same seed gives the same rows.
 */
export function unitRows(seed: number, counts: readonly number[], dim: number): Float32Array[] {
  const random = mulberry32(seed);
  return counts.map((rows) => {
    const values = new Float32Array(rows * dim);
    for (let r = 0; r < rows; r++) {
      const row = values.subarray(r * dim, (r + 1) * dim);
      let sumSquares = 0;
      for (let i = 0; i < dim; i++) {
        row[i] = random();
        sumSquares += row[i] * row[i];
      }
      const norm = Math.sqrt(sumSquares);
      for (let i = 0; i < dim; i++) row[i] /= norm;
    }
    return values;
  });
}
