/** Seeded draws of N training examples per class, so every method and every rerun sees the same examples. */

/** A small, well-mixed 32-bit PRNG: the same seed gives the same sequence in every browser. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of repeat `repeat` (0-based) of the `shots`-per-class draw. */
export function shotSeed(shots: number, repeat: number): number {
  return shots * 1000 + repeat;
}

/**
 * `n` items of every class, drawn without replacement: a partial Fisher-Yates shuffle of each class in the
 * map's order, all from the one `random` stream. Classes with fewer than `n` items are a caller error.
 */
export function drawShots<T>(byClass: ReadonlyMap<string, readonly T[]>, n: number, random: () => number): Map<string, T[]> {
  const drawn = new Map<string, T[]>();
  for (const [classId, items] of byClass) {
    if (items.length < n) throw new RangeError(`Class ${classId} has ${items.length} items, fewer than ${n}.`);
    const pool = [...items];
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    drawn.set(classId, pool.slice(0, n));
  }
  return drawn;
}
