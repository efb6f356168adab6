import { WasmArena } from './store/arena';
import { ClassRows, rowLayout, type RowLayout } from './store/class-rows';
import {
  exactSimilarity,
  extendSpace,
  fitSpace,
  prepareQuery,
  releaseSpace,
  scannedSimilarities,
  scanTasks,
  Scratch,
  type FittedSpace,
  type ScanTask,
} from './store/fitted-space';
import { ParallelScan } from './store/parallel-scan';
import { rescoreNearest } from './store/rescore';
import { DEFAULT_VOTE, topVote, vote, type ClassVote, type VoteOptions } from './vote';

export interface KnnPrediction {
  /** The winning class, or null when no class has examples. */
  readonly classId: string | null;
  /** Every class asked about, in the order asked. */
  readonly votes: readonly ClassVote[];
}

/**
 * By default a class with at most this many examples gets every similarity computed exactly; above it, those from
 * the 8-bit index, and exactly for each row that could be the class's nearest (see `similaritiesOf`).
 */
export const EXACT_CLASS_ROWS = 64;

export interface KnnOptions {
  /** Classes with at most this many examples are scored exactly (default EXACT_CLASS_ROWS; Infinity: always). */
  readonly exactClassRows?: number;
  /** Let a worker scan half of each query's rows where the page can share memory with it (default true). */
  readonly parallelScan?: boolean;
}

/**
 * Rows per class computed exactly at most per query, beyond its first EXACT_CLASS_ROWS (see rescore): near-duplicates
 * would otherwise all be candidates, and each exact similarity decodes a whole row.
 */
export const MAX_EXACT_CANDIDATES = 32;

/** Rows of blocks the store allocates at most at once (class-rows.ts), which bounds the scratch space. */
const SCRATCH_ROWS = 1024;

interface Fitted {
  /** The classes it was fitted to, in vote order: a class cleared or replaced is a new ClassRows. */
  readonly classes: readonly ClassRows[];
  readonly space: FittedSpace;
  /** False once rows were appended with the parameters of the fit rather than fitted again. */
  exact: boolean;
}

interface Ready {
  readonly space: FittedSpace;
  /** The classes the space holds, in its order. */
  readonly rows: readonly ClassRows[];
}

function sameClasses(a: readonly ClassRows[], b: readonly ClassRows[]): boolean {
  return a.length === b.length && a.every((rows, i) => rows === b[i]);
}

/**
 * The k-NN store: each class's examples (unit vectors, kept exactly) in one WebAssembly memory, scanned by SIMD
 * kernels. Adding an example copies only that example. The default vote compares examples in the space of
 * feature-space.ts through an 8-bit index of their power transforms; 'mean-of-k' uses plain cosine, as
 * @tensorflow-models/knn-classifier does (its tests compare the two). It holds no tensors.
 */
export class KnnClassifier {
  private arena: WasmArena | null = null;
  private scan: ParallelScan | null = null;
  /** Where a scan writes its i32 dots: room for `rows` rows. */
  private dots: { offset: number; rows: number } | null = null;
  private layout: RowLayout | null = null;
  private scratch: Scratch | null = null;
  private readonly classes = new Map<string, ClassRows>();
  private fitted: Fitted | null = null;
  /** The fit running, if any: awaited by a predict that needs it, else finished in the background. */
  private refit: { readonly classes: readonly ClassRows[]; done: Promise<void> } | null = null;
  private disposed = false;
  private rescored = 0;
  private readonly exactClassRows: number;
  private readonly shareScan: boolean;

  constructor(options: KnnOptions = {}) {
    this.exactClassRows = options.exactClassRows ?? EXACT_CLASS_ROWS;
    this.shareScan = options.parallelScan ?? true;
  }

  /** Adds a copy of `embedding` (the embedding's numbers, read once from its tensor) to `classId`. */
  addExample(classId: string, embedding: Float32Array): void {
    this.writeClasses(new Map([[classId, embedding]]), embedding.length, 'append');
  }

  exampleCount(classId: string): number {
    return this.classes.get(classId)?.count ?? 0;
  }

  get totalExamples(): number {
    let total = 0;
    for (const rows of this.classes.values()) total += rows.count;
    return total;
  }

  /** The classes holding examples, in the order they got their first. */
  get classIds(): string[] {
    return [...this.classes.keys()];
  }

  /** The dimension of the stored examples, or null before the first one. */
  get dimension(): number | null {
    return this.layout?.dim ?? null;
  }

  /** Bytes held for the examples: the WebAssembly memory (rows, index, free blocks) and the per-row arrays. */
  get memoryBytes(): number {
    let bytes = this.arena?.bytes ?? 0;
    for (const rows of this.classes.values()) bytes += rows.sideBytes;
    if (this.fitted) bytes += 4 * this.fitted.space.rowFactors.reduce((n, f) => n + f.length, 0);
    return bytes;
  }

  /**
   * Drops a class's examples. Once no class has any, the store lets its WebAssembly memory go (such memory never
   * shrinks: freed blocks only serve later blocks), and the next example starts a new one.
   */
  clearClass(classId: string): void {
    this.dropClass(classId);
    if (this.classes.size === 0 && this.arena) this.releaseMemory();
  }

  private dropClass(classId: string): void {
    const rows = this.classes.get(classId);
    if (!rows) return;
    this.classes.delete(classId);
    rows.release();
  }

  /** Lets the arena, its scan worker and everything in it go; a fit still running gives up (no class is live). */
  private releaseMemory(): void {
    this.dropFit();
    this.scratch?.release();
    this.scan?.release();
    this.arena = null;
    this.scratch = null;
    this.scan = null;
    this.dots = null;
    this.layout = null;
  }

  /**
   * Votes among `classIds` (classes not listed are ignored, listed classes with no examples get 0). The answer is
   * as of the call: examples added or classes cleared while it is pending do not change it.
   */
  async predict(query: Float32Array, classIds: readonly string[], options: VoteOptions = DEFAULT_VOTE): Promise<KnnPrediction> {
    if (this.layout && query.length !== this.layout.dim) {
      throw new Error(`This classifier holds ${this.layout.dim}-number examples; got ${query.length}.`);
    }
    const counts = classIds.map((id) => this.exampleCount(id));
    const withExamples = classIds.filter((_, i) => counts[i] > 0);
    if (withExamples.length === 0) {
      return { classId: null, votes: classIds.map((classId) => ({ classId, similarity: 0, confidence: 0 })) };
    }
    const rows = withExamples.map((id) => this.classes.get(id)!);
    const rowCounts = new Map(rows.map((r) => [r, r.count]));
    const byRows = new Map<ClassRows, Float32Array>();
    if (options.method === 'mean-of-k') {
      this.cosines(query, rows, rowCounts).forEach((sims, c) => byRows.set(rows[c], sims));
    } else {
      // Computed before any await when the space is ready, so the answer is as of the call.
      const ready = this.readySpace(rows) ?? (await this.fittedSpace(rows));
      if (ready) this.similaritiesOf(query, ready.space, ready.rows, rowCounts).forEach((sims, c) => byRows.set(ready.rows[c], sims));
    }
    // A class cleared while a fit was awaited counts as having no examples.
    const byClass = new Map<string, Float32Array>(classIds.map((id) => [id, new Float32Array(0)]));
    withExamples.forEach((id, i) => byClass.set(id, byRows.get(rows[i]) ?? new Float32Array(0)));
    const votes = vote(byClass, options);
    return { classId: topVote(votes)?.classId ?? null, votes };
  }

  /**
   * A copy of a class's stored examples from row `fromRow` on: unit vectors of `dimension` numbers, row after row.
   * Synchronous and cheap (a copy out of the store), so a closing page can read them too.
   */
  classVectors(classId: string, fromRow = 0): Float32Array {
    return this.classes.get(classId)?.copyRows(fromRow) ?? new Float32Array(0);
  }

  /** Rows `fromRow` onwards of a class's examples, copied when this is called (as a promise, as the page reads them). */
  readClassVectors(classId: string, fromRow = 0): Promise<Float32Array> {
    return Promise.resolve(this.classVectors(classId, fromRow));
  }

  /**
   * Replaces a class's examples with `vectors` (n rows of `dim` numbers). Rows are scaled to unit length
   * unless they already are, so vectors read with classVectors come back bit for bit.
   */
  setClassVectors(classId: string, vectors: Float32Array, dim: number): void {
    this.writeClasses(new Map([[classId, vectors]]), dim, 'replace');
  }

  /**
   * Replaces ('replace') or adds to ('append') the examples of several classes, all or nothing: an error (bad
   * shape, out of memory) changes nothing. Rows are scaled to unit length as in setClassVectors.
   */
  writeClasses(vectorsByClass: ReadonlyMap<string, ArrayLike<number>>, dim: number, mode: 'replace' | 'append'): void {
    if (!(Number.isSafeInteger(dim) && dim > 0)) throw new Error(`${dim} is not a dimension.`);
    for (const vectors of vectorsByClass.values()) {
      if (vectors.length % dim !== 0) throw new Error(`${vectors.length} numbers do not make rows of ${dim}.`);
    }
    const kept = [...this.classes.keys()].filter((id) => mode === 'append' || !vectorsByClass.has(id));
    if (this.layout && dim !== this.layout.dim && kept.some((id) => this.exampleCount(id) > 0)) {
      throw new Error(`This classifier holds ${this.layout.dim}-number examples; got ${dim}.`);
    }
    const layout = this.layout?.dim === dim ? this.layout : rowLayout(dim);
    const arena = this.arenaForWrites();
    const written: { readonly classId: string; readonly rows: ClassRows; readonly countBefore: number }[] = [];
    try {
      for (const [classId, vectors] of vectorsByClass) {
        if (vectors.length === 0) continue;
        const existing = mode === 'append' && layout === this.layout ? this.classes.get(classId) : undefined;
        const rows = existing ?? new ClassRows(arena, layout);
        written.push({ classId, rows, countBefore: rows.count });
        rows.append(vectors);
      }
    } catch (error) {
      for (const { classId, rows, countBefore } of written) {
        if (this.classes.get(classId) === rows) rows.truncate(countBefore);
        else rows.release();
      }
      throw error;
    }
    // Nothing below can fail: the swap happens whole.
    if (layout !== this.layout) this.useLayout(layout);
    for (const classId of vectorsByClass.keys()) {
      if (mode === 'replace' && !written.some((w) => w.classId === classId)) this.dropClass(classId);
    }
    for (const { classId, rows } of written) {
      const old = this.classes.get(classId);
      if (old === rows) continue;
      this.classes.set(classId, rows);
      old?.release();
    }
  }

  /**
   * Fits the space for the classes of `classIds` with examples, in that order (the order predict is asked in), unless
   * it is ready: a store filled in bulk (a restore, an import) is then ready to answer its first predict at once.
   */
  async prepare(classIds: readonly string[]): Promise<void> {
    const rows = classIds.flatMap((id) => {
      const classRows = this.classes.get(id);
      return classRows && classRows.count > 0 ? [classRows] : [];
    });
    if (rows.length > 0 && !this.readySpace(rows)) await this.fittedSpace(rows);
  }

  /** Resolves once no fit is running (one starts in the background when a recording ends). */
  async settled(): Promise<void> {
    while (this.refit) await this.refit.done.catch(() => undefined);
  }

  /**
   * Rows of classes scored from the index whose similarity was then computed exactly (the candidates for nearest),
   * over every query so far: what near-duplicates would make grow, and MAX_EXACT_CANDIDATES bounds.
   */
  get rescoredRows(): number {
    return this.rescored;
  }

  /** Whether the store runs its SIMD kernels (kernels.wat), or null before its first example; else kernels-scalar.wat. */
  get simdKernels(): boolean | null {
    return this.arena?.simd ?? null;
  }

  /** Whether a worker scans half of each query's rows (a cross-origin isolated page, once the worker is up). */
  get parallelScan(): boolean {
    return this.scan?.parallel ?? false;
  }

  dispose(): void {
    this.disposed = true;
    for (const rows of this.classes.values()) rows.release();
    this.classes.clear();
    this.releaseMemory();
  }

  private arenaForWrites(): WasmArena {
    if (!this.arena) {
      this.arena = this.shareScan ? new WasmArena() : new WasmArena(false);
      this.scan = new ParallelScan(this.arena);
    }
    return this.arena;
  }

  /** The offset of room for `rows` i32 dots, grown (to a power of two) when too small. */
  private dotsFor(rows: number): number {
    if (!this.dots || this.dots.rows < rows) {
      if (this.dots) this.arena!.release(this.dots.offset, 4 * this.dots.rows);
      const room = 2 ** Math.ceil(Math.log2(Math.max(rows, 1024)));
      this.dots = { offset: this.arena!.allocate(4 * room), rows: room };
    }
    return this.dots.offset;
  }

  /**
   * The fitted space for `rows` (every class with examples, in vote order) if one is ready, else null (a fit is
   * needed: fittedSpace). Fitting costs about (examples) x dim x 256 multiplications, too much for every frame of
   * a recording, so: rows appended since the fit (a recording, one per frame) get the parameters of that fit; once
   * a predict finds nothing appended since the one before (the recording is over), the space is fitted again in
   * the background, slice by slice, and swapped in when done. Any other change (a class cleared, replaced or
   * added) is fitted before answering.
   */
  private readySpace(rows: readonly ClassRows[]): Ready | null {
    const fitted = this.fitted;
    if (!fitted || !sameClasses(fitted.classes, rows)) return null;
    let appended = false;
    rows.forEach((r, c) => {
      if (r.count > fitted.space.counts[c]) {
        extendSpace(this.arena!, this.scratch!, fitted.space, c, r);
        appended = true;
      }
    });
    if (appended) fitted.exact = false;
    else if (!fitted.exact && !this.refit) void this.startFit(rows).catch(() => undefined);
    return { space: fitted.space, rows };
  }

  /** Waits for a fit of `rows`, less any class cleared or replaced meanwhile; null when none is left. */
  private async fittedSpace(rows: readonly ClassRows[]): Promise<Ready | null> {
    const running = this.refit;
    await (running && sameClasses(running.classes, rows) ? running.done : this.startFit(rows));
    const live = rows.filter((r) => this.isLive(r));
    return live.length > 0 ? (this.readySpace(live) ?? this.fittedSpace(live)) : null;
  }

  private isLive(rows: ClassRows): boolean {
    for (const r of this.classes.values()) if (r === rows) return true;
    return false;
  }

  /** Fits `rows` slice by slice; a newer fit, or a class of these cleared or replaced, makes it give up. */
  private startFit(rows: readonly ClassRows[]): Promise<void> {
    const arena = this.arena!;
    const scratch = this.scratch!;
    const entry: { readonly classes: readonly ClassRows[]; done: Promise<void> } = { classes: rows, done: Promise.resolve() };
    const wanted = (): boolean => !this.disposed && this.refit === entry && rows.every((r) => this.isLive(r));
    this.refit = entry;
    entry.done = fitSpace(arena, scratch, rows, wanted)
      .then((space) => {
        if (!space) return;
        if (!wanted()) {
          releaseSpace(arena, scratch, space);
          return;
        }
        let exact = true;
        rows.forEach((r, c) => {
          if (r.count > space.counts[c]) {
            extendSpace(arena, scratch, space, c, r);
            exact = false;
          }
        });
        this.dropFit();
        this.fitted = { classes: rows, space, exact };
      })
      .finally(() => {
        if (this.refit === entry) this.refit = null;
      });
    return entry.done;
  }

  private dropFit(): void {
    if (this.fitted && this.arena && this.scratch) releaseSpace(this.arena, this.scratch, this.fitted.space);
    this.fitted = null;
  }

  private useLayout(layout: RowLayout): void {
    this.dropFit();
    this.scratch?.release();
    this.layout = layout;
    this.scratch = new Scratch(this.arena!, layout, SCRATCH_ROWS);
  }

  /**
   * Similarities in the fitted space of the rows of each class present at the call. From the 8-bit index, each
   * with a bound on its error; then, exactly, every row whose upper bound reaches the class's best lower bound (so
   * each class's nearest example is always exact), and every row of a class of at most exactClassRows.
   */
  private similaritiesOf(query: Float32Array, space: FittedSpace, rows: readonly ClassRows[], counts: ReadonlyMap<ClassRows, number>): Float32Array[] {
    const arena = this.arena!;
    const scratch = this.scratch!;
    const prepared = prepareQuery(arena, scratch, space, query);
    const sizes = rows.map((classRows, c) => Math.min(counts.get(classRows) ?? 0, classRows.count, space.counts[c]));
    const scanned = sizes.map((n) => n > this.exactClassRows);
    // One scan for every class scored from the index, so it can be split between two threads.
    const tasks: ScanTask[] = [];
    const dotsAt: number[] = [];
    let next = this.dotsFor(sizes.reduce((sum, n, c) => sum + (scanned[c] ? n : 0), 0));
    rows.forEach((classRows, c) => {
      dotsAt.push(next);
      if (scanned[c]) next = scanTasks(classRows, sizes[c], next, tasks);
    });
    this.scan!.run(tasks, scratch.layout.indexStride, scratch.query);
    return rows.map((classRows, c) => {
      const n = sizes[c];
      const out = new Float32Array(n);
      if (!scanned[c]) {
        for (let r = 0; r < n; r++) out[r] = exactSimilarity(arena, scratch, space, c, classRows, r, prepared);
        return out;
      }
      const bounds = new Float32Array(n);
      scannedSimilarities(arena, space, c, classRows, n, prepared, dotsAt[c], out, bounds);
      this.rescore(out, bounds, (r) => exactSimilarity(arena, scratch, space, c, classRows, r, prepared));
      return out;
    });
  }

  /**
   * Replaces scanned similarities by exact ones where the class's nearest example may be. The candidates are the
   * rows whose upper bound reaches the class's best lower bound. Up to MAX_EXACT_CANDIDATES of them, every one is
   * computed exactly. More means near-duplicates the index cannot tell apart (a held button records runs of them):
   * they are computed in order of their upper bounds until the best exact similarity is above every upper bound left
   * (the nearest is then exact, as before) or MAX_EXACT_CANDIDATES are done; the rest keep their scanned values, held
   * at most at the best exact one, so the class's score never exceeds its nearest example's similarity.
   */
  private rescore(out: Float32Array, bounds: Float32Array, exact: (row: number) => number): void {
    this.rescored += rescoreNearest(out, bounds, MAX_EXACT_CANDIDATES, exact);
  }

  /** Plain cosines of the query to the rows of each class present at the call (stored rows have unit length). */
  private cosines(query: Float32Array, rows: readonly ClassRows[], counts: ReadonlyMap<ClassRows, number>): Float32Array[] {
    const arena = this.arena!;
    const scratch = this.scratch!;
    const { dim } = scratch.layout;
    let squares = 0;
    for (let i = 0; i < dim; i++) squares += query[i] * query[i];
    const norm = Math.sqrt(squares) + 1e-12;
    const f32 = arena.f32;
    for (let i = 0; i < dim; i++) f32[scratch.row / 4 + i] = query[i] / norm;
    return rows.map((classRows) => {
      const n = Math.min(counts.get(classRows) ?? 0, classRows.count);
      const dots = this.dotsFor(n);
      classRows.exactDots(scratch.row, dots, scratch.steps, n);
      return arena.f32.slice(dots / 4, dots / 4 + n);
    });
  }
}
