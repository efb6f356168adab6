import { ClassList } from './class-list';
import { sortedRows } from './example-rows';
import { ExamplesByModel } from './examples-by-model';
import type { SavedFit } from '../classifier/knn/saved-fit';
import { findModel, type ModelId, type ModelSpec } from '../models/catalog';
import type { Embedder } from '../models/embedder';
import { RecentRecording } from './recent-recording';
import type { TeachableChange } from './teachable-types';
import { undoStep, type UndoTarget } from './teachable-undo';
import { UndoHistory, type UndoResult } from './undo-history';

/** Thumbnails a class card shows. */
export const THUMBNAILS_SHOWN = 6;

/**
 * The classes and their examples for every model, and the undoable ways to delete them: the bottom layer of
 * Teachable, under its imports and exports (teachable-io.ts) and its frame step and settings (teachable.ts).
 * Examples live with the model that embedded them, so switching models never mixes two networks' activations.
 */
export abstract class ExampleClasses extends ClassList {
  protected examples = this.noticingFits(ExamplesByModel.empty());
  protected activeEmbedder: Embedder | null = null;
  /** Every model seen, so imports can check dimensions of models outside the catalog too. */
  protected readonly specs = new Map<ModelId, ModelSpec>();
  /** Bumped by every change that can change the examples, so a merge in steps knows they changed meanwhile. */
  protected examplesVersion = 0;
  /** The destructive actions that can be undone, newest last (src/app/undo-history.ts). */
  readonly history = new UndoHistory();
  /** Counts the edits of classes and examples, so that undoing a "clear all" or an import knows whether anything was done since. */
  protected edits = 0;
  /** Whether the classes came back from storage: the history starts there. */
  protected restored = false;
  protected readonly recent = new RecentRecording();
  private readonly undoTarget: UndoTarget = (() => {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the undo target reads and writes this Teachable's private state
    const self = this;
    return {
      get classes() { return self.classList; },
      set classes(classes) { self.classList = [...classes]; },
      get nextClassNumber() { return self.nextClassNumber; },
      set nextClassNumber(n) { self.nextClassNumber = n; },
      get examples() { return self.examples; },
      swapIn: (examples) => self.replaceExamples(examples),
      changed: (change) => self.changed(change),
    };
  })();

  get embedder(): Embedder | null {
    return this.activeEmbedder;
  }

  /** Makes `embedder` the one frames go through; examples recorded with other models stay with those models. */
  setEmbedder(embedder: Embedder | null): void {
    this.activeEmbedder = embedder;
    if (embedder) this.specs.set(embedder.spec.id, embedder.spec);
    this.changed({ kind: 'model' });
  }

  /** Deletes a class and its examples for every model; undoable. */
  deleteClass(id: string): void {
    const info = this.requireClass(id);
    const index = this.classList.indexOf(info);
    const taken = this.examples.takeClass(id);
    this.classList = this.classList.filter((c) => c.id !== id);
    this.history.push({ kind: 'class', label: `deleting "${info.label}"`, info, index, taken });
    this.changed({ kind: 'class-deleted', classId: id });
  }

  /** Removes a class's examples for the current model; undoable. */
  clearClass(id: string): void {
    const info = this.requireClass(id);
    const modelId = this.activeEmbedder?.spec.id;
    if (!modelId) return;
    const count = this.examples.count(modelId, id);
    const taken = this.examples.deleteRows(modelId, id, Array.from({ length: count }, (_, row) => row));
    if (count > 0) this.history.push({ kind: 'rows', label: `clearing "${info.label}" (${examplesText(count)})`, modelId, classId: id, taken });
    this.changed({ kind: 'examples-cleared', modelId, classId: id });
  }

  /**
   * Deletes examples of a class for the current model: `rows` are positions, 0 the oldest (invalid ones are ignored);
   * undoable. Returns how many were deleted.
   */
  deleteExamples(id: string, rows: Iterable<number>): number {
    const info = this.requireClass(id);
    const modelId = this.activeEmbedder?.spec.id;
    if (!modelId) return 0;
    const sorted = sortedRows(rows, this.examples.count(modelId, id));
    if (sorted.length === 0) return 0;
    const taken = this.examples.deleteRows(modelId, id, sorted);
    this.history.push({ kind: 'rows', label: `deleting ${examplesText(sorted.length)} of "${info.label}"`, modelId, classId: id, taken });
    this.changed({ kind: 'examples-rewritten', modelId, classId: id });
    return sorted.length;
  }

  /**
   * Deletes the examples the latest recording added to `id` in its last `ms` milliseconds, from row `fromRow` on (where
   * the hold began); none if something else changed that class since. Undoable.
   */
  deleteRecentExamples(id: string, ms: number, fromRow = 0): number {
    const modelId = this.activeEmbedder?.spec.id;
    if (!modelId || !this.hasClass(id)) return 0;
    return this.deleteExamples(id, this.recent.lastRows(modelId, id, this.examples.count(modelId, id), ms, fromRow));
  }

  /** Deletes every class and example, then adds `freshClasses` empty classes; undoable. */
  clearAll(freshClasses = 2): void {
    const before = { classes: this.classList, nextClassNumber: this.nextClassNumber };
    const examples = this.replaceExamples(ExamplesByModel.empty());
    this.classList = [];
    this.changed({ kind: 'everything' });
    for (let i = 0; i < freshClasses; i++) this.addClass();
    this.history.push({ kind: 'state', label: 'clearing everything', ...before, examples, after: this.edits });
  }

  /**
   * Undoes the newest destructive action. A "clear all" or an import that replaced the classes is only undone over
   * later edits (which it would lose) with `discardLater`; otherwise it says so and stays undoable.
   */
  undo(options: { readonly discardLater?: boolean } = {}): UndoResult & { readonly wouldDiscard?: boolean } {
    const step = this.history.latest;
    if (!step) {
      return {
        undone: false,
        reason: this.restored
          ? 'There is nothing to undo: the undo history starts when the page opens, and your classes were loaded as they were saved.'
          : 'There is nothing to undo.',
      };
    }
    if (step.kind === 'state' && step.after !== this.edits && !options.discardLater) {
      return { undone: false, wouldDiscard: true, reason: `Undoing ${step.label} would also undo what you did after it.` };
    }
    this.history.pop();
    const result = undoStep(step, this.undoTarget);
    if (!result.undone && step.kind === 'state') step.examples.dispose();
    return result;
  }

  /** Whether the current model's k-NN store scans on two threads (see KnnClassifier.parallelScan). */
  get parallelScan(): boolean {
    const modelId = this.activeEmbedder?.spec.id;
    return modelId ? this.examples.classifierFor(modelId).parallelScan : false;
  }

  /** Whether the current model's k-NN store scores each frame off the page's thread (KnnClassifier.votesInWorker). */
  get votesInWorker(): boolean {
    const modelId = this.activeEmbedder?.spec.id;
    return modelId ? this.examples.classifierFor(modelId).votesInWorker : false;
  }

  /** Bytes the k-NN stores of every model hold, their WebAssembly memory included. */
  get storeBytes(): number {
    return this.examples.memoryBytes;
  }

  /** Examples of `id` recorded with the current model. */
  exampleCount(id: string): number {
    const modelId = this.activeEmbedder?.spec.id;
    return modelId ? this.examples.count(modelId, id) : 0;
  }

  /** The newest THUMBNAILS_SHOWN thumbnails of a class for the current model, newest last. */
  thumbnails(id: string): readonly string[] {
    const modelId = this.activeEmbedder?.spec.id;
    return modelId ? this.keptThumbnails(modelId, id).slice(-THUMBNAILS_SHOWN) : [];
  }

  /** Examples kept for models other than the current one. */
  examplesWithOtherModels(): number {
    return this.examples.totalExcept(this.activeEmbedder?.spec.id);
  }

  /** Models holding examples, with the dimension of their vectors. */
  modelsWithExamples(): { readonly modelId: ModelId; readonly dimension: number }[] {
    return this.examples.modelsWithExamples();
  }

  exampleCountFor(modelId: ModelId, classId: string): number {
    return this.examples.count(modelId, classId);
  }

  /** Rows `fromRow` onwards of a class's unit vectors for a model; the rows are picked when this is called. */
  readExamples(modelId: ModelId, classId: string, fromRow = 0): Promise<Float32Array> {
    return this.examples.read(modelId, classId, fromRow);
  }

  /** As readExamples, but synchronous: for a page that is closing (autosave's close journal), which gets no later task. */
  readExamplesNow(modelId: ModelId, classId: string, fromRow = 0): Float32Array {
    return this.examples.readNow(modelId, classId, fromRow);
  }

  /** Every thumbnail kept (up to THUMBNAILS_KEPT), oldest first. */
  keptThumbnails(modelId: ModelId, classId: string): readonly string[] {
    return this.examples.thumbnails(modelId, classId);
  }

  /** Resolves once the current model's k-NN store has no fit running (one starts in the background after a recording). */
  async settled(): Promise<void> {
    const modelId = this.activeEmbedder?.spec.id;
    if (modelId) await this.examples.classifierFor(modelId).settled();
  }

  /** The fit of a model's k-NN space worth keeping with its examples (ExamplesByModel.savedFit), or null. */
  savedFit(modelId: ModelId): SavedFit | null {
    return this.examples.savedFit(modelId);
  }

  /** Fits of a model's k-NN space run so far (KnnClassifier.fitsRun): a restore that put a saved fit back ran none. */
  spaceFitsRun(modelId: ModelId): number {
    return this.examples.fitsRun(modelId);
  }

  /** `examples`, firing `space-fitted` (CustomEvent<ModelId>) when a fit of theirs worth saving is done. */
  private noticingFits(examples: ExamplesByModel): ExamplesByModel {
    examples.onFitted = (modelId) => this.dispatchEvent(new CustomEvent<ModelId>('space-fitted', { detail: modelId }));
    return examples;
  }

  protected specFor(modelId: ModelId): ModelSpec | undefined {
    return findModel(modelId) ?? this.specs.get(modelId);
  }

  protected swapExamples(examples: ExamplesByModel): void {
    this.replaceExamples(examples).dispose();
  }

  /** Makes `examples` the current ones and returns those they replace, for an undo step to keep. */
  protected replaceExamples(examples: ExamplesByModel): ExamplesByModel {
    const old = this.examples;
    old.onFitted = null;
    this.examples = this.noticingFits(examples);
    // A set built whole (an import, a restore, an undo) may come with its spaces fitted: worth saving too.
    for (const { modelId } of examples.modelsWithExamples()) this.dispatchEvent(new CustomEvent<ModelId>('space-fitted', { detail: modelId }));
    return old;
  }

  protected override changed(detail: TeachableChange): void {
    if (detail.kind !== 'settings' && detail.kind !== 'classes') this.examplesVersion++;
    if (detail.kind !== 'settings' && detail.kind !== 'model') this.edits++;
    if (detail.kind !== 'settings' && detail.kind !== 'model' && detail.kind !== 'examples-added' && detail.kind !== 'classes') this.recent.forget();
    super.changed(detail);
  }
}

const examplesText = (n: number) => `${n} example${n === 1 ? '' : 's'}`;
