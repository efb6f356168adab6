import { KnnClassifier } from '../classifier/knn/knn';
import { DATASET_LIMITS } from '../dataset/limits';
import type { ModelId } from '../models/catalog';
import { nextTask } from '../platform/next-task';
import { RestoredChecksums, savedFitCounts, type SavedFit } from '../classifier/knn/saved-fit';
import { putRowsBack, takeRows, type TakenRows } from './example-rows';

/**
 * Thumbnails (kept frames) kept per class and model, the newest: every example's, up to as many as a dataset file may
 * hold, so that a re-embed after a model switch gives back every example and an export can be imported again.
 */
export const THUMBNAILS_KEPT = DATASET_LIMITS.maxThumbnailsPerClass;

/** One model's examples to load at once: vectors (rows of `dimension`) and thumbnails, by class id. */
export interface ModelExamples {
  readonly dimension: number;
  readonly vectors: ReadonlyMap<string, Float32Array>;
  readonly thumbnails: ReadonlyMap<string, readonly string[]>;
}

/** How a bulk write that takes many tasks reports, and is stopped. */
export interface StepOptions {
  /** Aborting it stops the work at the next step: nothing is changed, and the promise rejects with the reason. */
  readonly signal?: AbortSignal;
  /** Rows stored so far, of how many. */
  readonly onRows?: (done: number, total: number) => void;
  /**
   * Fits of the space kept with the examples (KnnClassifier.savedFit, read back unchecked), by model: one fitted over
   * exactly the rows stored is used rather than fitting again.
   */
  readonly savedFits?: ReadonlyMap<ModelId, unknown>;
}

/** Examples taken out of one class for one model, with the thumbnails of those rows (by row), to put back on undo. */
export interface TakenExamples extends TakenRows {
  readonly dimension: number;
  readonly thumbnails: ReadonlyMap<number, string>;
}

/** A class's examples for every model, taken out whole (a class deleted), to put back on undo. */
export type TakenClass = ReadonlyMap<ModelId, { readonly dimension: number; readonly vectors: Float32Array; readonly thumbnails: readonly string[] }>;

/**
 * Rows stored at a time by buildInSteps, between checks of the time spent: 128 rows made tasks of 100 to 170 ms in a
 * traced restore of 10,000 examples on a loaded machine.
 */
const ROWS_PER_STEP = 32;
/** Longest run of steps before the page gets a turn: well under the 50 ms of a long task. */
const STEP_BUDGET_MS = 20;

/**
 * The examples of every class for every model: one KnnClassifier per model, plus the newest thumbnails of
 * each class. The bulk writes (`build`, `append`) are all or nothing.
 */
export class ExamplesByModel {
  /** Told which model's k-NN store finished a fit worth saving (KnnClassifier's onFitted). */
  onFitted: ((modelId: ModelId) => void) | null = null;

  private constructor(
    private readonly classifiers = new Map<ModelId, KnnClassifier>(),
    private readonly thumbnailsByKey = new Map<string, readonly string[]>(),
  ) {}

  static empty(): ExamplesByModel {
    return new ExamplesByModel();
  }

  /** A new set holding exactly `byModel`; on an error nothing is left allocated. */
  static build(byModel: ReadonlyMap<ModelId, ModelExamples>): ExamplesByModel {
    const built = new ExamplesByModel();
    try {
      for (const [modelId, examples] of byModel) {
        const classifier = built.newClassifier(modelId);
        built.classifiers.set(modelId, classifier);
        classifier.writeClasses(examples.vectors, examples.dimension, 'replace');
        examples.thumbnails.forEach((urls, classId) => built.keepThumbnails(modelId, classId, urls));
      }
    } catch (error) {
      built.dispose();
      throw error;
    }
    return built;
  }

  /**
   * As build, but storing ROWS_PER_STEP rows at a time and giving the page a turn every STEP_BUDGET_MS, and each
   * model's space fitted for the classes in `order` before it resolves, so that the first prediction after the swap
   * does not wait for it. Aborted or failed, nothing is left allocated.
   */
  static async buildInSteps(byModel: ReadonlyMap<ModelId, ModelExamples>, order: readonly string[], options: StepOptions = {}): Promise<ExamplesByModel> {
    const built = new ExamplesByModel();
    let total = 0;
    for (const examples of byModel.values()) for (const vectors of examples.vectors.values()) total += vectors.length / examples.dimension;
    let done = 0;
    let sliceStart = performance.now();
    const step = async () => {
      if (performance.now() - sliceStart < STEP_BUDGET_MS) return;
      options.onRows?.(done, total);
      await nextTask();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    };
    try {
      options.signal?.throwIfAborted();
      for (const [modelId, { dimension, vectors, thumbnails }] of byModel) {
        const classifier = built.newClassifier(modelId);
        built.classifiers.set(modelId, classifier);
        const savedFit = options.savedFits?.get(modelId);
        // Only a restore with a saved fit needs the rows' checksums.
        const checksums = savedFit === undefined ? null : new RestoredChecksums(savedFitCounts(savedFit));
        for (const [classId, rows] of vectors) {
          for (let start = 0; start < rows.length; start += ROWS_PER_STEP * dimension) {
            const piece = rows.subarray(start, Math.min(rows.length, start + ROWS_PER_STEP * dimension));
            classifier.writeClasses(new Map([[classId, piece]]), dimension, 'append');
            checksums?.add(classId, piece, dimension);
            done += piece.length / dimension;
            await step();
          }
        }
        thumbnails.forEach((urls, classId) => built.keepThumbnails(modelId, classId, urls));
        if (checksums) classifier.useSavedFit(savedFit, checksums.values);
        await classifier.prepare(order);
        options.signal?.throwIfAborted();
      }
      options.onRows?.(done, total);
    } catch (error) {
      built.dispose();
      throw error;
    }
    return built;
  }

  /**
   * Every model's vectors and thumbnails, copied out one class a task (all at once held the page for hundreds of ms
   * at 10,000 examples): with another model's added, what a merge in steps builds from. The caller checks that
   * nothing changed meanwhile.
   */
  async snapshotInSteps(): Promise<Map<ModelId, { dimension: number; vectors: Map<string, Float32Array>; thumbnails: Map<string, readonly string[]> }>> {
    const byModel = new Map<ModelId, { dimension: number; vectors: Map<string, Float32Array>; thumbnails: Map<string, readonly string[]> }>();
    for (const [modelId, classifier] of [...this.classifiers]) {
      const dimension = classifier.dimension;
      if (dimension === null) continue;
      const vectors = new Map<string, Float32Array>();
      const thumbnails = new Map<string, readonly string[]>();
      for (const id of classifier.classIds) {
        vectors.set(id, classifier.classVectors(id));
        thumbnails.set(id, this.thumbnails(modelId, id));
        await nextTask();
      }
      byModel.set(modelId, { dimension, vectors, thumbnails });
    }
    return byModel;
  }

  /** Adds rows after each class's own (and thumbnails), all or nothing. */
  append(modelId: ModelId, examples: ModelExamples): void {
    const existing = this.classifiers.get(modelId);
    const classifier = existing ?? this.newClassifier(modelId);
    try {
      classifier.writeClasses(examples.vectors, examples.dimension, 'append');
    } catch (error) {
      if (!existing) classifier.dispose();
      throw error;
    }
    this.classifiers.set(modelId, classifier);
    examples.thumbnails.forEach((urls, classId) => this.keepThumbnails(modelId, classId, urls));
  }

  /** The classifier of `modelId`, made when first asked for. */
  classifierFor(modelId: ModelId): KnnClassifier {
    let classifier = this.classifiers.get(modelId);
    if (!classifier) {
      classifier = this.newClassifier(modelId);
      this.classifiers.set(modelId, classifier);
    }
    return classifier;
  }

  /** The fit of a model's k-NN store worth keeping with its examples (KnnClassifier.savedFit), or null. */
  savedFit(modelId: ModelId): SavedFit | null {
    return this.classifiers.get(modelId)?.savedFit() ?? null;
  }

  fitsRun(modelId: ModelId): number {
    return this.classifiers.get(modelId)?.fitsRun ?? 0;
  }

  private newClassifier(modelId: ModelId): KnnClassifier {
    return new KnnClassifier({ onFitted: () => this.onFitted?.(modelId) });
  }

  /** Bytes every model's k-NN store holds (KnnClassifier.memoryBytes). */
  get memoryBytes(): number {
    let bytes = 0;
    for (const classifier of this.classifiers.values()) bytes += classifier.memoryBytes;
    return bytes;
  }

  count(modelId: ModelId, classId: string): number {
    return this.classifiers.get(modelId)?.exampleCount(classId) ?? 0;
  }

  /** Examples of all models but `modelId`. */
  totalExcept(modelId: ModelId | undefined): number {
    let total = 0;
    for (const [id, classifier] of this.classifiers) if (id !== modelId) total += classifier.totalExamples;
    return total;
  }

  /** The dimension of a model's examples, or null before it has any. */
  dimension(modelId: ModelId): number | null {
    return this.classifiers.get(modelId)?.dimension ?? null;
  }

  modelsWithExamples(): { readonly modelId: ModelId; readonly dimension: number }[] {
    return [...this.classifiers]
      .filter(([, classifier]) => classifier.totalExamples > 0 && classifier.dimension !== null)
      .map(([modelId, classifier]) => ({ modelId, dimension: classifier.dimension! }));
  }

  read(modelId: ModelId, classId: string, fromRow = 0): Promise<Float32Array> {
    return this.classifiers.get(modelId)?.readClassVectors(classId, fromRow) ?? Promise.resolve(new Float32Array(0));
  }

  /** As read, but synchronous: for a page that is closing, which gets no later task to finish a read in. */
  readNow(modelId: ModelId, classId: string, fromRow = 0): Float32Array {
    return this.classifiers.get(modelId)?.classVectors(classId, fromRow) ?? new Float32Array(0);
  }

  /** Oldest first. */
  thumbnails(modelId: ModelId, classId: string): readonly string[] {
    return this.thumbnailsByKey.get(thumbKey(modelId, classId)) ?? [];
  }

  keepThumbnails(modelId: ModelId, classId: string, urls: readonly string[]): void {
    if (urls.length === 0) return;
    const key = thumbKey(modelId, classId);
    // A new array (callers hold on to the one they were given), made without spreading thousands of frames.
    const all = this.thumbnails(modelId, classId).concat(urls);
    this.thumbnailsByKey.set(key, all.length > THUMBNAILS_KEPT ? all.slice(-THUMBNAILS_KEPT) : all);
  }

  clear(modelId: ModelId, classId: string): void {
    this.classifiers.get(modelId)?.clearClass(classId);
    this.thumbnailsByKey.delete(thumbKey(modelId, classId));
  }

  /** Removes a class's examples for every model. */
  clearEverywhere(classId: string): void {
    for (const modelId of this.classifiers.keys()) this.clear(modelId, classId);
  }

  /**
   * Deletes rows (ascending, each below the class's count) of a class, with their thumbnails: the kept thumbnails
   * belong to the newest rows, so those of the newest rows taken go too. Returns what is needed to put them back.
   */
  deleteRows(modelId: ModelId, classId: string, rows: readonly number[]): TakenExamples {
    const classifier = this.classifierFor(modelId);
    const dimension = classifier.dimension;
    if (dimension === null || rows.length === 0) return { dimension: dimension ?? 0, rows: [], vectors: new Float32Array(0), thumbnails: new Map() };
    const count = classifier.exampleCount(classId);
    const { kept, taken } = takeRows(classifier.classVectors(classId), dimension, rows);
    const thumbs = this.thumbnails(modelId, classId);
    const firstThumbRow = count - thumbs.length;
    const takenThumbs = new Map(rows.filter((r) => r >= firstThumbRow).map((r) => [r, thumbs[r - firstThumbRow]]));
    const keptThumbs = thumbs.filter((_, i) => !takenThumbs.has(firstThumbRow + i));
    if (kept.length === 0) classifier.clearClass(classId);
    else classifier.setClassVectors(classId, kept, dimension);
    this.setThumbnails(modelId, classId, kept.length === 0 ? [] : keptThumbs);
    return { ...taken, dimension, thumbnails: takenThumbs };
  }

  /** Puts rows taken by deleteRows back where they were, with their thumbnails. */
  restoreRows(modelId: ModelId, classId: string, taken: TakenExamples): void {
    const classifier = this.classifierFor(modelId);
    const now = classifier.classVectors(classId);
    const { vectors, origin } = putRowsBack(now, taken.dimension, taken);
    const thumbs = this.thumbnails(modelId, classId);
    const firstThumbRow = now.length / taken.dimension - thumbs.length;
    classifier.setClassVectors(classId, vectors, taken.dimension);
    // The thumbnails stay those of the newest rows: the longest run of rows at the end that all have one.
    const urls: string[] = [];
    for (let row = origin.length - 1; row >= 0 && urls.length < THUMBNAILS_KEPT; row--) {
      const from = origin[row];
      const url = from >= 0 ? (from >= firstThumbRow ? thumbs[from - firstThumbRow] : undefined) : taken.thumbnails.get(taken.rows[-1 - from]);
      if (url === undefined) break;
      urls.push(url);
    }
    this.setThumbnails(modelId, classId, urls.reverse());
  }

  /** Takes a class's examples out for every model (as clearEverywhere), returning them for putClass. */
  takeClass(classId: string): TakenClass {
    const taken = new Map<ModelId, { dimension: number; vectors: Float32Array; thumbnails: readonly string[] }>();
    for (const [modelId, classifier] of this.classifiers) {
      if (classifier.dimension === null || classifier.exampleCount(classId) === 0) continue;
      taken.set(modelId, { dimension: classifier.dimension, vectors: classifier.classVectors(classId), thumbnails: this.thumbnails(modelId, classId) });
    }
    this.clearEverywhere(classId);
    return taken;
  }

  /** Puts back a class taken by takeClass, all or nothing. */
  putClass(classId: string, taken: TakenClass): void {
    const written: ModelId[] = [];
    try {
      for (const [modelId, { dimension, vectors }] of taken) {
        this.classifierFor(modelId).setClassVectors(classId, vectors, dimension);
        written.push(modelId);
      }
    } catch (error) {
      for (const modelId of written) this.classifierFor(modelId).clearClass(classId);
      throw error;
    }
    for (const [modelId, { thumbnails }] of taken) this.setThumbnails(modelId, classId, thumbnails);
  }

  private setThumbnails(modelId: ModelId, classId: string, urls: readonly string[]): void {
    if (urls.length) this.thumbnailsByKey.set(thumbKey(modelId, classId), urls);
    else this.thumbnailsByKey.delete(thumbKey(modelId, classId));
  }

  dispose(): void {
    for (const classifier of this.classifiers.values()) classifier.dispose();
    this.classifiers.clear();
    this.thumbnailsByKey.clear();
  }
}

function thumbKey(modelId: ModelId, classId: string): string {
  return `${modelId}\u0000${classId}`;
}
