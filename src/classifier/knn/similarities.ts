import type { WasmArena } from './store/arena';
import type { ClassRows } from './store/class-rows';
import {
  exactSimilarity,
  prepareQuery,
  scannedSimilarities,
  scanTasks,
  type ScanTask,
  type ScoringSpace,
  type ScratchRoom,
} from './store/query-scoring';
import { rescoreNearest } from './store/rescore';
import type { StoredRows } from './store/stored-rows';

/**
 * Rows per class computed exactly at most per query, beyond its first EXACT_CLASS_ROWS (see rescoreNearest in
 * store/rescore.ts): near-duplicates would otherwise all be candidates, and each exact similarity decodes a whole row.
 */
export const MAX_EXACT_CANDIDATES = 32;

/** Runs a scan's tasks: i32 dots of each task's 8-bit rows (`stride` bytes) with the i16 query at `query`. */
export interface Scan {
  run(tasks: readonly ScanTask[], stride: number, query: number): void;
}

/** What the store lends a query: its memory, scratch space, scan and room for a scan's i32 dots. */
export interface ScoringRoom {
  readonly arena: WasmArena;
  readonly scratch: ScratchRoom;
  readonly scan: Scan;
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
  space: ScoringSpace,
  rows: readonly StoredRows[],
  counts: ReadonlyMap<StoredRows, number>,
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
    rescored += rescoreNearest(out, bounds, MAX_EXACT_CANDIDATES, (r) => exactSimilarity(arena, scratch, space, c, classRows, r, prepared));
    return out;
  });
  return { similarities, rescored };
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
