/** Seeded draws of N training examples per class, so every method and every rerun sees the same examples. */

// The app's own seeded generator, so the eval and the bench draw exactly as the app's splits do.
export { mulberry32 } from '../../src/classifier/training-data';

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
