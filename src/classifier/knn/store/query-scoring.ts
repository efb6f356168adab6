/**
 * A query's similarities to every stored row in the fitted space (fitted-space.ts). The algebra that makes a query
 * cost one pass over the 8-bit index: with z = (p − c) ⊙ s / R (R its length before that division), E the whitening
 * directions, q' = z_q − Eᵀ E z_q and w = s ⊙ q', the whitened cosine is (z.z_q − Ez.Ez_q) / (N N_q) =
 * (p.w − c.w) / (R N N_q). So each row needs only p (the index) and one number fixed by the fit, 1 / (R N); nothing
 * per row depends on the query but p.w.
 */
import { powerTransformInto, projectInto, type SpaceParameters } from '../../analysis/feature-space';
import { whitenedLength } from '../../analysis/whitening';
import type { WasmArena } from './arena';
import type { RowLayout } from './class-rows';
import type { StoredRows } from './stored-rows';

/** The largest |query| value in the 8-bit scan: 255 x it x the row length must stay below 2^31. */
function queryLevels(indexStride: number): number {
  return Math.min(4095, Math.floor((2 ** 31 - 1) / (255 * indexStride)));
}

/** Where a query's scratch numbers go in the arena (byte offsets), as fitted-space.ts's Scratch lays them out. */
export interface ScratchRoom {
  readonly layout: RowLayout;
  readonly query: number;
  readonly row: number;
  readonly combined: number;
  readonly out: number;
  readonly coefficients: number;
  readonly steps: number;
}

/** What scoring a query reads of a fitted space. */
export interface ScoringSpace {
  readonly parameters: SpaceParameters;
  /** E, m rows of exactStride bytes in the arena; m = 0 when there is nothing to whiten. */
  readonly directions: number;
  readonly m: number;
  /** Per class in fit order, per row: 1 / (R N), or 0 for a row at the centre. Extended while recording. */
  readonly rowFactors: Float32Array[];
  /** How many rows of each class have a factor. */
  readonly counts: number[];
}

/**
 * A query made ready for a space: w = s ⊙ q', in the scratch space as f32 (`combined`, for exact similarities)
 * and as i16 (`query`, for the 8-bit scan).
 */
export interface PreparedQuery {
  /** c.w. */
  readonly centreDot: number;
  /** N_q, the query's length under the metric. */
  readonly norm: number;
  /** The i16 query's value per level: w ≈ level x this. */
  readonly levelScale: number;
  /** |w|, and the length of the i16 query's rounding error, for the bound on each scanned similarity. */
  readonly length: number;
  readonly roundingError: number;
}

export function prepareQuery(arena: WasmArena, scratch: ScratchRoom, space: ScoringSpace, query: ArrayLike<number>): PreparedQuery {
  const { dim, exactStride } = scratch.layout;
  const transformed = powerTransformInto(query, new Float32Array(dim));
  const rowF32 = scratch.row / 4;
  projectInto(transformed, space.parameters, arena.f32, rowF32);
  const z = arena.f32.slice(rowF32, rowF32 + dim);
  const qPrime = Float64Array.from(z);
  // E z into coefficients and Eᵀ E z into combined, in one pass over E (2.6 MB read once rather than twice).
  if (space.m > 0) arena.projectF32(space.directions, space.m, exactStride, scratch.row, scratch.coefficients, scratch.combined);
  const norm = whitenedLength(z, arena.f32.subarray(scratch.coefficients / 4, scratch.coefficients / 4 + space.m));
  if (space.m > 0) {
    const eTe = arena.f32.subarray(scratch.combined / 4, scratch.combined / 4 + dim);
    for (let i = 0; i < dim; i++) qPrime[i] -= eTe[i];
  }
  const { centre, scale } = space.parameters;
  const w = new Float64Array(dim);
  let centreDot = 0;
  let length = 0;
  let largest = 0;
  for (let i = 0; i < dim; i++) {
    w[i] = scale[i] * qPrime[i];
    centreDot += centre[i] * w[i];
    length += w[i] * w[i];
    largest = Math.max(largest, Math.abs(w[i]));
  }
  arena.f32.set(w, scratch.combined / 4);
  const levels = queryLevels(scratch.layout.indexStride);
  const levelScale = largest > 0 ? largest / levels : 0;
  const i16 = arena.i16;
  const at = scratch.query / 2;
  let roundingError = 0;
  for (let i = 0; i < dim; i++) {
    const level = levelScale > 0 ? Math.round(w[i] / levelScale) : 0;
    i16[at + i] = level;
    roundingError += (w[i] - level * levelScale) ** 2;
  }
  return { centreDot, norm, levelScale, length: Math.sqrt(length), roundingError: Math.sqrt(roundingError) };
}

/** One block of 8-bit rows to scan: where its rows are, how many, and where their i32 dots go. */
export interface ScanTask {
  readonly index: number;
  readonly count: number;
  readonly out: number;
}

/** The scan tasks for the first `rows` rows of a class, their dots written from `out` on; returns the next free offset. */
export function scanTasks(classRows: StoredRows, rows: number, out: number, tasks: ScanTask[]): number {
  let next = out;
  classRows.forEachBlock((_first, count, index) => {
    tasks.push({ index, count, out: next });
    next += 4 * count;
  }, rows);
  return next;
}

/**
 * Similarities of a prepared query to the first `rows` rows of class `c`, from their 8-bit dots (at `dots` in the
 * arena, as scanTasks laid them out), into `out`; and into `bounds` how far each can be from the exact similarity
 * at most (Cauchy-Schwarz on both rounding errors).
 */
export function scannedSimilarities(
  arena: WasmArena,
  space: ScoringSpace,
  c: number,
  classRows: StoredRows,
  rows: number,
  query: PreparedQuery,
  dots: number,
  out: Float32Array,
  bounds: Float32Array,
): void {
  const factors = space.rowFactors[c];
  const perLevel = query.levelScale;
  const inverseNorm = 1 / query.norm;
  const i32 = arena.i32;
  const first = dots / 4;
  for (let r = 0; r < rows; r++) {
    const factor = factors[r] * inverseNorm;
    out[r] = (classRows.scaleOf(r) * perLevel * i32[first + r] - query.centreDot) * factor;
    const error = classRows.errorOf(r);
    bounds[r] = (error * query.length + (1 + error) * query.roundingError) * factor;
  }
}

/** The exact similarity of a prepared query to row `r` of class `c` (from its exact f32 row). */
export function exactSimilarity(
  arena: WasmArena,
  scratch: ScratchRoom,
  space: ScoringSpace,
  c: number,
  classRows: StoredRows,
  r: number,
  query: PreparedQuery,
): number {
  const rootLength = classRows.rootLengthOf(r);
  let dot = 0; // a row with no positive component transforms to zeros
  if (rootLength > 0) {
    classRows.sqrtDot(r, scratch.combined, scratch.out);
    dot = arena.f32[scratch.out / 4] / rootLength;
  }
  return ((dot - query.centreDot) * space.rowFactors[c][r]) / query.norm;
}
