/**
 * The default vote's space (feature-space.ts, steps 1 to 4) fitted to the rows of a ClassRows set: its parameters,
 * whitening directions and one factor per row, 1 / (R N), as query-scoring.ts explains and uses.
 */
import { nextTask } from '../../../platform/next-task';
import { powerTransformInto, projectInto, spaceParameters } from '../../analysis/feature-space';
import { sampledRows, whitenedLength, whiteningSteps, WHITENING_MAX_DEVIATIONS } from '../../analysis/whitening';
import type { WasmArena } from './arena';
import type { ClassRows, RowLayout } from './class-rows';
import type { ScoringSpace, ScratchRoom } from './query-scoring';
import { RowsChecksum } from './rows-checksum';

/**
 * How long a fit works before it yields to the page. A row costs from a few microseconds (projecting it) to a tenth
 * of a millisecond (its factor, against 256 whitening directions), and a machine under load stretches both: a fixed
 * number of rows per slice made tasks of 40 to 90 ms at 10,000 examples, so slices are cut by time.
 */
const SLICE_MS = 6;

/** Says when the current slice of a fit has run its time (a synchronous check, so nothing else runs mid-slice). */
class Slices {
  private started = performance.now();

  due(): boolean {
    return performance.now() - this.started >= SLICE_MS;
  }

  async next(): Promise<void> {
    await nextTask();
    this.started = performance.now();
  }
}

/**
 * The deviations and the directions always take room for the most rows they can have, so every fit asks the arena
 * for the same size and reuses the blocks of the fits before it.
 */
export function directionsBytes(layout: RowLayout): number {
  return WHITENING_MAX_DEVIATIONS * layout.exactStride;
}

/** Scratch space in the arena for one query or one row at a time. */
export class Scratch implements ScratchRoom {
  readonly query: number; // i16 x indexStride
  readonly row: number; // f32 x exactStride
  readonly combined: number; // f32 x exactStride
  readonly out: number; // f32/i32 x max(block rows, directions)
  readonly coefficients: number; // f32 x directions
  readonly steps: number; // f32 x block rows (ClassRows.exactDots)
  private readonly sizes: number[];

  constructor(
    private readonly arena: WasmArena,
    readonly layout: RowLayout,
    maxRows: number,
  ) {
    this.sizes = [layout.indexStride * 2, layout.exactStride, layout.exactStride, maxRows * 4, maxRows * 4, maxRows * 4];
    [this.query, this.row, this.combined, this.out, this.coefficients, this.steps] = this.sizes.map((bytes) => arena.allocate(bytes));
    // Only the first dim numbers of a row are ever written: the padding must read as zeros.
    arena.u8.fill(0, this.query, this.query + this.sizes[0]);
    arena.u8.fill(0, this.row, this.row + this.sizes[1]);
    arena.u8.fill(0, this.combined, this.combined + this.sizes[2]);
  }

  release(): void {
    [this.query, this.row, this.combined, this.out, this.coefficients, this.steps].forEach((offset, i) => this.arena.release(offset, this.sizes[i]));
  }
}

export interface FittedSpace extends ScoringSpace {
  /** Per class, the RowsChecksum of the first `counts` rows as fitted (rows appended later are not in it). */
  readonly checksums: readonly number[];
}

/**
 * Fits the space to `classes` (each with examples), a slice of rows at a time with the page running in between.
 * `stillWanted` is asked after every slice; when it says no, the fit stops and resolves null. The classes must not
 * be cleared or replaced meanwhile (rows may be appended: only the first `count` at the start are used).
 */
export async function fitSpace(
  arena: WasmArena,
  scratch: Scratch,
  classes: readonly ClassRows[],
  stillWanted: () => boolean,
): Promise<FittedSpace | null> {
  const { dim, exactStride } = scratch.layout;
  const counts = classes.map((c) => c.count);
  const parameters = spaceParameters(classes, dim);
  const transformed = new Float32Array(dim);
  const rowF32 = scratch.row / 4;
  const slices = new Slices();
  /** Calls `visit` with z of every row (at rowF32 in the arena), class by class, pausing between slices. */
  const eachProjected = async (visit: (c: number, r: number, length: number, at: number) => void): Promise<boolean> => {
    for (let c = 0; c < classes.length; c++) {
      for (let r = 0; r < counts[c]; r++) {
        // exactRow may grow the memory (its first call allocates room to decode into): views are taken after it.
        const at = classes[c].exactRow(r);
        const f32 = arena.f32;
        const length = projectInto(powerTransformInto(f32.subarray(at, at + dim), transformed), parameters, f32, rowF32);
        visit(c, r, length, at);
        // Awaiting only here: between two yields nothing else runs, so no class can be cleared mid-slice.
        if (slices.due()) {
          await slices.next();
          if (!stillWanted()) return false;
        }
      }
    }
    return true;
  };

  // Class means of z, and each row's R.
  const means = classes.map(() => new Float64Array(dim));
  const lengths = counts.map((n) => new Float32Array(n));
  const sums = classes.map(() => new RowsChecksum());
  const meansDone = await eachProjected((c, r, length, at) => {
    const f32 = arena.f32;
    sums[c].addWords(arena.i32, at, at + dim);
    const mean = means[c];
    for (let i = 0; i < dim; i++) mean[i] += f32[rowF32 + i] / counts[c];
    lengths[c][r] = length;
  });
  // The await above is a turn for other code even when no slice yielded: a class may have been cleared since.
  if (!meansDone || !stillWanted()) return null;

  // Step 4's directions from a sample of deviations from the class means.
  const total = counts.reduce((a, b) => a + b, 0);
  let directions = 0;
  let m = 0;
  if (total > classes.length) {
    const sample = sampledRows(counts);
    m = sample.length;
    const deviations = arena.allocate(directionsBytes(scratch.layout));
    try {
      sample.forEach(({ c, r }, k) => {
        const at = classes[c].exactRow(r);
        const f32 = arena.f32;
        projectInto(powerTransformInto(f32.subarray(at, at + dim), transformed), parameters, f32, rowF32);
        const out = (deviations + k * exactStride) / 4;
        f32.fill(0, out, out + exactStride / 4);
        for (let i = 0; i < dim; i++) f32[out + i] = f32[rowF32 + i] - means[c][i];
      });
      // The rows are not read again until the factors' pass, which begins by asking stillWanted: from here the
      // steps may yield to the page between them.
      const steps = whiteningSteps(
        {
          count: m,
          dotsUpTo: (i, out) => {
            arena.dotsF32(deviations, i + 1, exactStride, deviations + i * exactStride, scratch.out);
            out.set(arena.f32.subarray(scratch.out / 4, scratch.out / 4 + i + 1));
          },
          combine: (i, coefficients) => {
            if (i === 0) directions = arena.allocate(directionsBytes(scratch.layout));
            arena.f32.set(coefficients, scratch.coefficients / 4);
            arena.combineF32(deviations, i + 1, exactStride, scratch.coefficients, directions + i * exactStride);
          },
        },
        dim,
      );
      let step = steps.next();
      for (; !step.done; step = steps.next()) if (slices.due()) await slices.next();
      if (!step.value) m = 0;
    } finally {
      arena.release(deviations, directionsBytes(scratch.layout));
    }
    await slices.next();
  }

  const fitted: FittedSpace = { parameters, directions, m, rowFactors: counts.map((n) => new Float32Array(n)), counts, checksums: sums.map((s) => s.value) };
  if (!stillWanted()) {
    releaseSpace(arena, scratch, fitted);
    return null;
  }
  const factorsDone = await eachProjected((c, r) => {
    fitted.rowFactors[c][r] = rowFactor(arena, scratch, fitted, lengths[c][r]);
  });
  if (!factorsDone) {
    releaseSpace(arena, scratch, fitted);
    return null;
  }
  return fitted;
}

/** 1 / (R N) for the z at scratch.row, of length R before normalising. */
function rowFactor(arena: WasmArena, scratch: Scratch, space: FittedSpace, length: number): number {
  if (!(length > 0)) return 0;
  if (space.m > 0) arena.dotsF32(space.directions, space.m, scratch.layout.exactStride, scratch.row, scratch.out);
  const f32 = arena.f32;
  const z = f32.subarray(scratch.row / 4, scratch.row / 4 + scratch.layout.dim);
  return 1 / (length * whitenedLength(z, f32.subarray(scratch.out / 4, scratch.out / 4 + space.m)));
}

/**
 * Gives rows of class `c` added since the fit their factors, with the fit's parameters (not refitted: an
 * approximation of fitting again, for while a class is being recorded).
 */
export function extendSpace(arena: WasmArena, scratch: Scratch, space: FittedSpace, c: number, rows: ClassRows): void {
  const from = space.counts[c];
  if (rows.count <= from) return;
  const { dim } = scratch.layout;
  const factors = new Float32Array(rows.count);
  factors.set(space.rowFactors[c].subarray(0, from));
  const transformed = new Float32Array(dim);
  for (let r = from; r < rows.count; r++) {
    const at = rows.exactRow(r);
    const f32 = arena.f32;
    const length = projectInto(powerTransformInto(f32.subarray(at, at + dim), transformed), space.parameters, f32, scratch.row / 4);
    factors[r] = rowFactor(arena, scratch, space, length);
  }
  space.rowFactors[c] = factors;
  space.counts[c] = rows.count;
}

export function releaseSpace(arena: WasmArena, scratch: Scratch, space: FittedSpace): void {
  if (space.m > 0) arena.release(space.directions, directionsBytes(scratch.layout));
}
