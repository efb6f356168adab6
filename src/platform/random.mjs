// The app's one seeded PRNG, in plain JavaScript so that the Node scripts (scripts/split-dataset.mjs,
// test/fixtures/datasets/make-fixtures.mjs) use the same one as the app, its tests and its benchmarks.
// Types: random.d.mts.

/** mulberry32: a small, well-mixed 32-bit PRNG, so shuffles, splits and test data repeat exactly for a given seed. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
