/** mulberry32: a small, well-mixed 32-bit PRNG, so shuffles, splits and test data repeat exactly for a given seed. */
export function mulberry32(seed: number): () => number;
