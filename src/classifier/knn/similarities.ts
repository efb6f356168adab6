import type { WasmArena } from './store/arena';
import type { ClassRows } from './store/class-rows';
import {
  exactSimilarity,
  prepareQuery,
  scannedSimilarities,
  scanTasks,
  type FittedSpace,
  type ScanTask,
  type Scratch,
} from './store/fitted-space';
import type { ParallelScan } from './store/parallel-scan';

/**
 * Rows per class computed exactly at most per query, beyond its first EXACT_CLASS_ROWS (see rescore): near-duplicates
 * would otherwise all be candidates, and each exact similarity decodes a whole row.
 */
export const MAX_EXACT_CANDIDATES = 32;

/** What the store lends a query: its memory, scratch space, scan and room for a scan's i32 dots. */
export interface ScoringRoom {
  readonly arena: WasmArena;
  readonly scratch: Scratch;
  readonly scan: ParallelScan;
  /** The offset of room for `rows` i32 dots, grown when too small. */
  readonly dotsFor: (rows: number) => number;
}

export interface FittedSimilarities {
  /** One array per class of `rows`, in that order. */
  readonly similarities: Float32Array[];
  /** Rows of scanned classes whose similarity was then computed exactly. */
  readonly rescored: number;
}

/**
 * Similarities in the fitted space of the rows of each class present at the call. From the 8-bit index, each
 * with a bound on its error; then, exactly, every row whose upper bound reaches the class's best lower bound (so
 * each class's nearest example is always exact), and every row of a class of at most exactClassRows.
 */
export function fittedSimilarities(
  room: ScoringRoom,
  query: Float32Array,
  space: FittedSpace,
  rows: readonly ClassRows[],
  counts: ReadonlyMap<ClassRows, number>,
  exactClassRows: number,
): FittedSimilarities {
  const { arena, scratch } = room;
  const prepared = prepareQuery(arena, scratch, space, query);
  const sizes = rows.map((classRows, c) => Math.min(counts.get(classRows) ?? 0, classRows.count, space.counts[c]));
  const scanned = sizes.map((n) => n > exactClassRows);
  // One scan for every class scored from the index, so it can be split between two threads.
  const tasks: ScanTask[] = [];
  const dotsAt: number[] = [];
  let next = room.dotsFor(sizes.reduce((sum, n, c) => sum + (scanned[c] ? n : 0), 0));
  rows.forEach((classRows, c) => {
    dotsAt.push(next);
    if (scanned[c]) next = scanTasks(classRows, sizes[c], next, tasks);
  });
  room.scan.run(tasks, scratch.layout.indexStride, scratch.query);
  let rescored = 0;
  const similarities = rows.map((classRows, c) => {
    const n = sizes[c];
    const out = new Float32Array(n);
    if (!scanned[c]) {
      for (let r = 0; r < n; r++) out[r] = exactSimilarity(arena, scratch, space, c, classRows, r, prepared);
      return out;
    }
    const bounds = new Float32Array(n);
    scannedSimilarities(arena, space, c, classRows, n, prepared, dotsAt[c], out, bounds);
    rescored += rescore(out, bounds, (r) => exactSimilarity(arena, scratch, space, c, classRows, r, prepared));
    return out;
  });
  return { similarities, rescored };
}

/**
 * Replaces scanned similarities by exact ones where the class's nearest example may be, and returns how many it
 * computed. The candidates are the rows whose upper bound reaches the class's best lower bound. Up to
 * MAX_EXACT_CANDIDATES of them, every one is computed exactly. More means near-duplicates the index cannot tell apart
 * (a held button records runs of them): they are computed in order of their upper bounds until the best exact
 * similarity is above every upper bound left (the nearest is then exact, as before) or MAX_EXACT_CANDIDATES are done;
 * the rest keep their scanned values, held at most at the best exact one, so the class's score never exceeds its
 * nearest example's similarity.
 */
export function rescore(out: Float32Array, bounds: Float32Array, exact: (row: number) => number): number {
  const n = out.length;
  let bestLower = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) bestLower = Math.max(bestLower, out[r] - bounds[r]);
  const candidates: number[] = [];
  for (let r = 0; r < n; r++) if (out[r] + bounds[r] >= bestLower) candidates.push(r);
  if (candidates.length <= MAX_EXACT_CANDIDATES) {
    for (const r of candidates) out[r] = exact(r);
    return candidates.length;
  }
  const upper = (r: number) => out[r] + bounds[r];
  candidates.sort((a, b) => upper(b) - upper(a));
  let bestExact = Number.NEGATIVE_INFINITY;
  let done = 0;
  for (; done < MAX_EXACT_CANDIDATES && upper(candidates[done]) >= bestExact; done++) {
    const r = candidates[done];
    out[r] = exact(r);
    bestExact = Math.max(bestExact, out[r]);
  }
  for (let i = done; i < candidates.length; i++) out[candidates[i]] = Math.min(out[candidates[i]], bestExact);
  return done;
}

/** Plain cosines of the query to the rows of each class present at the call (stored rows have unit length). */
export function plainCosines(
  room: ScoringRoom,
  query: Float32Array,
  rows: readonly ClassRows[],
  counts: ReadonlyMap<ClassRows, number>,
): Float32Array[] {
  const { arena, scratch } = room;
  const { dim } = scratch.layout;
  let squares = 0;
  for (let i = 0; i < dim; i++) squares += query[i] * query[i];
  const norm = Math.sqrt(squares) + 1e-12;
  const f32 = arena.f32;
  for (let i = 0; i < dim; i++) f32[scratch.row / 4 + i] = query[i] / norm;
  return rows.map((classRows) => {
    const n = Math.min(counts.get(classRows) ?? 0, classRows.count);
    const dots = room.dotsFor(n);
    classRows.exactDots(scratch.row, dots, scratch.steps, n);
    return arena.f32.slice(dots / 4, dots / 4 + n);
  });
}
