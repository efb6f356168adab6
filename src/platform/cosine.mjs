// The cosine of two vectors, in plain JavaScript so that the Node tests (test/node/predict-helpers.mjs) use the same
// one as the browser tests and the measuring scripts. Types: cosine.d.mts.

/** The cosine of two vectors of the same length. */
export function cosine(a, b) {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / Math.sqrt(aa * bb);
}
