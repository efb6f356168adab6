/**
 * The default vote's fitted space as it is kept with the examples (autosave stores it), so that a reload puts it back
 * instead of fitting again: fitting 10,000 examples takes seconds of the page's time, reading this back a few ms.
 * A saved fit names the rows it was fitted over (each class's id, row count and RowsChecksum) and checksums its own
 * numbers; `checkSavedFit` refuses anything damaged, of another version or made with other constants, and the store
 * uses a sound one only for exactly those rows (KnnClassifier.useSavedFit). Anything else is fitted again.
 */
import { CENTRING, WITHIN_SHRINK } from '../analysis/feature-space';
import { WHITENING_MAX_DEVIATIONS, WHITENING_SHRINK } from '../analysis/whitening';
import { RowsChecksum } from './store/rows-checksum';
import type { SpaceData } from './store/saved-space';

/** Bump when what a fit computes changes (feature-space.ts, fitted-space.ts): older saved fits are then refitted. */
export const SAVED_FIT_VERSION = 1;

/** The constants a fit depends on: a saved fit made with others is refitted. */
const FIT_CONSTANTS: readonly number[] = [CENTRING, WITHIN_SHRINK, WHITENING_SHRINK, WHITENING_MAX_DEVIATIONS];

export interface SavedFit extends SpaceData {
  readonly version: number;
  readonly constants: readonly number[];
  readonly dimension: number;
  /** The classes fitted, in vote order; `counts` and `checksums` (of SpaceData) are theirs. */
  readonly classIds: readonly string[];
  /** RowsChecksum of every number above but itself. */
  readonly checksum: number;
}

/** The checksum of a fit's numbers. */
function fitChecksum(fit: Omit<SavedFit, 'checksum'>): number {
  const sum = new RowsChecksum();
  sum.add(Float32Array.from(fit.constants));
  sum.addWords(Int32Array.from([fit.version, fit.dimension, fit.m, ...fit.counts, ...fit.checksums]));
  sum.add(new Float32Array(fit.centre.buffer, fit.centre.byteOffset, fit.centre.length * 2));
  sum.add(new Float32Array(fit.scale.buffer, fit.scale.byteOffset, fit.scale.length * 2));
  sum.add(fit.directions);
  fit.rowFactors.forEach((f) => sum.add(f));
  sum.addWords(Int32Array.from(fit.classIds.join('\u0000'), (ch) => ch.charCodeAt(0)));
  return sum.value;
}

export function toSavedFit(classIds: readonly string[], dimension: number, data: SpaceData): SavedFit {
  const fit = { ...data, version: SAVED_FIT_VERSION, constants: [...FIT_CONSTANTS], dimension, classIds: [...classIds] };
  return { ...fit, checksum: fitChecksum(fit) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const wholeArray = (v: unknown, n: number): v is number[] => Array.isArray(v) && v.length === n && v.every((x) => Number.isSafeInteger(x) && x >= 0);

/**
 * `value` as a saved fit of `dimension`-number rows if it is one, whole and sound (shapes, sizes, finite numbers, its
 * checksum, this version and these constants); else null.
 */
export function checkSavedFit(value: unknown, dimension: number): SavedFit | null {
  if (!isObject(value)) return null;
  const v = value as Partial<SavedFit>;
  if (v.version !== SAVED_FIT_VERSION || v.dimension !== dimension || typeof v.checksum !== 'number') return null;
  if (!Array.isArray(v.constants) || v.constants.length !== FIT_CONSTANTS.length || v.constants.some((c, i) => c !== FIT_CONSTANTS[i])) return null;
  const classIds = v.classIds;
  if (!Array.isArray(classIds) || classIds.length === 0 || !classIds.every((id) => typeof id === 'string') || new Set(classIds).size !== classIds.length) return null;
  const n = classIds.length;
  if (!wholeArray(v.counts, n) || !wholeArray(v.checksums, n) || v.checksums.some((c) => c > 0xffffffff) || v.counts.some((c) => c === 0)) return null;
  const counts = v.counts;
  if (!(v.centre instanceof Float64Array && v.centre.length === dimension && v.scale instanceof Float64Array && v.scale.length === dimension)) return null;
  if (!(Number.isSafeInteger(v.m) && v.m! >= 0 && v.m! <= WHITENING_MAX_DEVIATIONS)) return null;
  if (!(v.directions instanceof Float32Array && v.directions.length === v.m! * dimension)) return null;
  const factors = v.rowFactors;
  if (!Array.isArray(factors) || factors.length !== n || !factors.every((f, c) => f instanceof Float32Array && f.length === counts[c])) return null;
  const fit = v as SavedFit;
  const finite = (a: Float32Array | Float64Array) => a.every(Number.isFinite);
  if (![fit.centre, fit.scale, fit.directions, ...fit.rowFactors].every(finite)) return null;
  return fitChecksum(fit) === fit.checksum ? fit : null;
}

/**
 * The row count a saved fit (unchecked) names for each class: where RestoredChecksums takes each class's checksum.
 * Empty when it names none in a usable form (the fit is then refused anyway).
 */
export function savedFitCounts(value: unknown): ReadonlyMap<string, number> {
  if (!isObject(value)) return new Map();
  const { classIds, counts } = value as Partial<SavedFit>;
  if (!Array.isArray(classIds) || !Array.isArray(counts) || classIds.length !== counts.length) return new Map();
  return new Map(classIds.flatMap((id, c) => (typeof id === 'string' && Number.isSafeInteger(counts[c]) ? [[id, counts[c]] as const] : [])));
}

/**
 * Checksums of each class's rows as they are stored, piece by piece, for KnnClassifier.useSavedFit: of the first rows
 * a saved fit names for the class (`fitted`, from savedFitCounts), else of all of them. A class with fewer rows than
 * its fit names gets none.
 */
export class RestoredChecksums {
  readonly values = new Map<string, number>();
  private readonly running = new Map<string, { readonly sum: RowsChecksum; rows: number }>();

  constructor(private readonly fitted: ReadonlyMap<string, number>) {}

  /** Adds the next rows of a class (`piece`, rows of `dimension` numbers). */
  add(classId: string, piece: Float32Array, dimension: number): void {
    let entry = this.running.get(classId);
    if (!entry) this.running.set(classId, (entry = { sum: new RowsChecksum(), rows: 0 }));
    const rows = piece.length / dimension;
    const at = this.fitted.get(classId);
    if (at !== undefined && at > entry.rows && at <= entry.rows + rows) {
      const cut = (at - entry.rows) * dimension;
      entry.sum.add(piece.subarray(0, cut));
      this.values.set(classId, entry.sum.value);
      entry.sum.add(piece.subarray(cut));
    } else {
      entry.sum.add(piece);
      if (at === undefined) this.values.set(classId, entry.sum.value);
    }
    entry.rows += rows;
  }
}
