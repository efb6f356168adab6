import { ClassRows, rowLayout } from './store/class-rows';
import { readRowsInSteps } from './store/read-in-steps';
import { spaceData, spaceFromData } from './store/saved-space';
import { StoreMemory } from './store/store-memory';
import { checkSavedFit, toSavedFit, type SavedFit } from './saved-fit';
import { plainCosines } from './similarities';
import { SpaceFits } from './space-fits';
export { MAX_EXACT_CANDIDATES } from './similarities';
import { DEFAULT_VOTE, topVote, vote, type ClassVote, type VoteOptions } from './vote';

export interface KnnPrediction {
  /** The winning class, or null when no class has examples. */
  readonly classId: string | null;
  /** Every class asked about, in the order asked. */
  readonly votes: readonly ClassVote[];
}

/**
 * By default a class with at most this many examples gets every similarity computed exactly; above it, those from
 * the 8-bit index, and exactly for each row that could be the class's nearest (see similarities.ts).
 */
export const EXACT_CLASS_ROWS = 64;

export interface KnnOptions {
  /** Classes with at most this many examples are scored exactly (default EXACT_CLASS_ROWS; Infinity: always). */
  readonly exactClassRows?: number;
  /**
   * Where the page can share memory with workers (default true): a worker takes part in each scan, and a query over
   * many rows (workerRows) is scored in another, off the page's thread.
   */
  readonly parallelScan?: boolean;
  /** The fewest rows a query is scored over in the vote worker (default MIN_WORKER_ROWS); fewer are scored on the page. */
  readonly workerRows?: number;
  /** Called when a fit of the space exactly to the examples as they are is done: one worth saving (savedFit). */
  readonly onFitted?: () => void;
}

/**
 * The k-NN store: each class's examples (unit vectors, kept exactly) in one WebAssembly memory, scanned by SIMD
 * kernels. Adding an example copies only that example. The default vote compares examples in the space of
 * feature-space.ts through an 8-bit index of their power transforms; 'mean-of-k' uses plain cosine, as
 * @tensorflow-models/knn-classifier does (its tests compare the two). It holds no tensors.
 */
export class KnnClassifier {
  /** The store's memory and workers, from its first write until it holds no rows. */
  private memory: StoreMemory | null = null;
  private readonly classes = new Map<string, ClassRows>();
  private disposed = false;
  private readonly fits = new SpaceFits({
    arena: () => this.memory?.arena ?? null,
    scratch: () => this.memory?.scratch ?? null,
    disposed: () => this.disposed,
    isLive: (rows) => this.isLive(rows),
    fitted: () => this.onFitted?.(),
  });
  private readonly onFitted: (() => void) | undefined;
  /** The last savedFit's answer, and the space it copied: the same space is not copied again. */
  private saved: { readonly space: object; readonly fit: SavedFit } | null = null;
  private rescored = 0;
  private readonly exactClassRows: number;
  private readonly shareScan: boolean;
  private readonly workerRows: number | undefined;

  constructor(options: KnnOptions = {}) {
    this.exactClassRows = options.exactClassRows ?? EXACT_CLASS_ROWS;
    this.shareScan = options.parallelScan ?? true;
    this.workerRows = options.workerRows;
    this.onFitted = options.onFitted;
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
    return this.memory?.layout?.dim ?? null;
  }

  /** Bytes held for the examples: the WebAssembly memory (rows, index, free blocks) and the per-row arrays. */
  get memoryBytes(): number {
    let bytes = this.memory?.arena.bytes ?? 0;
    for (const rows of this.classes.values()) bytes += rows.sideBytes;
    return bytes + this.fits.factorBytes;
  }

  /**
   * Drops a class's examples. Once no class has any, the store lets its WebAssembly memory go (such memory never
   * shrinks: freed blocks only serve later blocks), and the next example starts a new one.
   */
  clearClass(classId: string): void {
    this.dropClass(classId);
    if (this.classes.size === 0 && this.memory) this.releaseMemory();
  }

  private dropClass(classId: string): void {
    const rows = this.classes.get(classId);
    if (!rows) return;
    this.classes.delete(classId);
    rows.release();
  }

  /** Lets the arena, its scan worker and everything in it go; a fit still running gives up (no class is live). */
  private releaseMemory(): void {
    this.fits.drop();
    this.memory?.release();
    this.memory = null;
  }

  /**
   * Votes among `classIds` (classes not listed are ignored, listed classes with no examples get 0). The answer is
   * as of the call: examples added or classes cleared while it is pending do not change it.
   */
  async predict(query: Float32Array, classIds: readonly string[], options: VoteOptions = DEFAULT_VOTE): Promise<KnnPrediction> {
    const dim = this.dimension;
    if (dim !== null && query.length !== dim) throw new Error(`This classifier holds ${dim}-number examples; got ${query.length}.`);
    const counts = classIds.map((id) => this.exampleCount(id));
    const withExamples = classIds.filter((_, i) => counts[i] > 0);
    if (withExamples.length === 0) {
      return { classId: null, votes: classIds.map((classId) => ({ classId, similarity: 0, confidence: 0 })) };
    }
    const rows = withExamples.map((id) => this.classes.get(id)!);
    const rowCounts = new Map(rows.map((r) => [r, r.count]));
    const byRows = new Map<ClassRows, Float32Array>();
    if (options.method === 'mean-of-k') {
      plainCosines(this.memory!.room(), query, rows, rowCounts).forEach((sims, c) => byRows.set(rows[c], sims));
    } else {
      // Computed before any await when the space is ready, so the answer is as of the call.
      const ready = this.fits.ready(rows) ?? (await this.fits.fit(rows));
      const scored = ready ? await this.memory!.score(query, ready.space, ready.rows, rowCounts, this.exactClassRows) : null;
      // A worker that failed leaves a page that votes itself, from the store as it is now.
      if (scored === 'failed') return this.predict(query, classIds, options);
      if (ready && scored) {
        this.rescored += scored.rescored;
        scored.similarities.forEach((sims, c) => byRows.set(ready.rows[c], sims));
      }
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

  /** Rows `fromRow` onwards of a class's examples as there are when this is called, copied a step at a time (readRowsInSteps). */
  readClassVectors(classId: string, fromRow = 0): Promise<Float32Array> {
    return readRowsInSteps(() => this.classes.get(classId), fromRow);
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
    const memory = (this.memory ??= new StoreMemory(this.shareScan, this.workerRows));
    const inUse = memory.layout;
    if (inUse && dim !== inUse.dim && kept.some((id) => this.exampleCount(id) > 0)) {
      throw new Error(`This classifier holds ${inUse.dim}-number examples; got ${dim}.`);
    }
    const layout = inUse?.dim === dim ? inUse : rowLayout(dim);
    const arena = memory.arena;
    const written: { readonly classId: string; readonly rows: ClassRows; readonly countBefore: number }[] = [];
    try {
      for (const [classId, vectors] of vectorsByClass) {
        if (vectors.length === 0) continue;
        const existing = mode === 'append' && layout === inUse ? this.classes.get(classId) : undefined;
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
    if (layout !== inUse) {
      this.fits.drop();
      memory.useLayout(layout);
    }
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
    if (rows.length > 0 && !this.fits.ready(rows)) await this.fits.fit(rows);
  }

  /** Resolves once no fit is running (one starts in the background when a recording ends). */
  async settled(): Promise<void> {
    await this.fits.settled();
  }

  /** Fits of the space run to their end so far; a fit put back with useSavedFit is not one. */
  get fitsRun(): number {
    return this.fits.fitsRun;
  }

  /**
   * The default vote's fitted space, to keep with the examples, when it is fitted exactly to the examples as they are
   * (not while rows recorded since only borrow its parameters); else null.
   */
  savedFit(): SavedFit | null {
    const exact = this.fits.exact();
    const memory = this.memory;
    if (!exact || !memory?.layout || !memory.scratch) return null;
    if (this.saved?.space === exact.space) return this.saved.fit;
    const ids = exact.rows.map((rows) => [...this.classes].find(([, r]) => r === rows)![0]);
    const fit = toSavedFit(ids, memory.layout.dim, spaceData(memory.arena, memory.scratch, exact.space));
    this.saved = { space: exact.space, fit };
    return fit;
  }

  /**
   * Makes `saved` (a savedFit read back from storage, unchecked) the fitted space if it is sound and was fitted over
   * these examples: each class it names holds at least as many rows as then, and the RowsChecksum of those first rows
   * (`checksums`, taken by the caller as it stored them: RestoredChecksums) is the one it recorded. Rows after them
   * (recorded after that fit) get the fit's parameters, as while recording, and the space is fitted again in the
   * background after the next vote. Returns whether it did; if not, the space is fitted as usual when a vote needs it.
   */
  useSavedFit(saved: unknown, checksums: ReadonlyMap<string, number>): boolean {
    const memory = this.memory;
    if (!memory?.layout || !memory.scratch) return false;
    const fit = checkSavedFit(saved, memory.layout.dim);
    if (!fit) return false;
    const rows = fit.classIds.map((id) => this.classes.get(id));
    const matches = rows.every((r, c) => r !== undefined && r.count >= fit.counts[c] && checksums.get(fit.classIds[c]) === fit.checksums[c]);
    if (!matches) return false;
    const space = spaceFromData(memory.arena, memory.scratch, fit);
    this.fits.install(rows as ClassRows[], space);
    this.saved = { space, fit };
    return true;
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
    return this.memory?.arena.simd ?? null;
  }

  /** Whether a worker takes part in each query's scan (a cross-origin isolated page, once the worker is up). */
  get parallelScan(): boolean {
    return this.memory?.parallelScan ?? false;
  }

  /** Whether queries are scored in the vote worker, off the page's thread (a cross-origin isolated page, once it is up). */
  get votesInWorker(): boolean {
    return this.memory?.votesInWorker ?? false;
  }

  dispose(): void {
    this.disposed = true;
    for (const rows of this.classes.values()) rows.release();
    this.classes.clear();
    this.releaseMemory();
  }

  private isLive(rows: ClassRows): boolean {
    for (const r of this.classes.values()) if (r === rows) return true;
    return false;
  }
}
