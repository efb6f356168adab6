import type { DenseHead, DenseHeadPrediction } from '../classifier/dense-head/dense-head';
import { DEFAULT_UNKNOWN_SENSITIVITY, isUnknown } from '../classifier/knn/unknown';
import { ClassicChoice } from '../classifier/knn/classic-knn';
import { DEFAULT_VOTE, isVoteMethod, type VoteOptions } from '../classifier/knn/vote';
import { DatasetError, planImport, type Dataset, type ImportPlan } from '../dataset';
import { DEFAULT_TRAINING_SETTINGS, isClassifierMode, settingsProblems, type ClassifierMode, type DenseTrainingSettings } from './dense-settings';
import { ExamplesByModel, type ModelExamples, type StepOptions } from './examples-by-model';
import { findModel, type ModelId, type ModelSpec } from '../models/catalog';
import type { Embedder, Pixels } from '../models/embedder';
import { parseClassOutput } from '../outputs/class-output';
import { nextTask } from '../platform/next-task';
import { DEFAULT_SMOOTHING, isSmoothingLevel, PredictionStream, streamFrameOf, type SmoothingLevel } from '../pipeline/prediction-stream';
import { ClassList } from './class-list';
import { checkSavedState, denseOf, savedExamplesByModel, voteOf, type SavedExamples, type SavedState } from './teachable-state';
import type { ClassInfo, FrameResult, ImportOptions, ImportResult, TeachableChange } from './teachable-types';
import { UnknownCalibrator } from './unknown-calibrator';
import { sortedRows } from './example-rows';
import { skipPresent, type ImportPreview } from './import-preview';
import { RecentRecording } from './recent-recording';
import { undoStep, type UndoTarget } from './teachable-undo';
import { UndoHistory, type UndoResult } from './undo-history';

export { MAX_LABEL_LENGTH, cleanLabel } from './labels';
export { THUMBNAILS_KEPT, type StepOptions } from './examples-by-model';
export type { SavedExamples, SavedState } from './teachable-state';
export type { ClassInfo, FrameResult, ImportOptions, ImportResult, TeachableChange } from './teachable-types';
export type { UndoResult } from './undo-history';
export { describeImport, type ImportPreview } from './import-preview';

/** Thumbnails a class card shows. */
export const THUMBNAILS_SHOWN = 6;

/**
 * The app's state without any UI: the classes, their examples for each model, and the frame step
 * (embed, maybe record, classify, "none of these", the steady stream). Examples live with the model that embedded
 * them, so switching models never mixes two networks' activations; switching back finds them again.
 * Fires `change` (a CustomEvent whose detail is a TeachableChange) whenever classes, examples, settings or the model change.
 */
export class Teachable extends ClassList {
  private examples = ExamplesByModel.empty();
  private activeEmbedder: Embedder | null = null;
  /** Every model seen, so imports can check dimensions of models outside the catalog too. */
  private readonly specs = new Map<ModelId, ModelSpec>();
  private vote: VoteOptions = DEFAULT_VOTE;
  /** knn-classifier's own classifier while the 'knn-classifier' vote is chosen. */
  private readonly classic = new ClassicChoice();
  private sensitivity = DEFAULT_UNKNOWN_SENSITIVITY;
  /** Bumped by every change that can change the examples, so a merge in steps knows they changed meanwhile. */
  private examplesVersion = 0;
  private readonly calibrator = new UnknownCalibrator({
    modelId: () => this.activeEmbedder?.spec.id,
    classIds: () => this.classList.map((c) => c.id),
    dimension: (modelId) => this.examples.dimension(modelId),
    read: (modelId, classId) => this.examples.read(modelId, classId),
    vote: () => this.vote,
    settled: () => this.settled(),
  });
  private mode: ClassifierMode = 'knn';
  private dense: DenseTrainingSettings = DEFAULT_TRAINING_SETTINGS;
  /** Owned by whoever trained it (HeadTrainer); only read here. */
  private frameHead: { readonly modelId: ModelId; readonly head: DenseHead } | null = null;
  /**
   * The steady stream every processed frame goes into, with its smoothing setting: the `tm-prediction` and
   * `tm-class-change` details come from it (FrameResult.stream).
   */
  readonly stream = new PredictionStream((classId) => this.classList.find((c) => c.id === classId)?.label ?? null);
  /** The destructive actions that can be undone, newest last (src/app/undo-history.ts). */
  readonly history = new UndoHistory();
  /** Counts the edits of classes and examples, so that undoing a "clear all" or an import knows whether anything was done since. */
  private edits = 0;
  /** Whether the classes came back from storage: the history starts there. */
  private restored = false;
  private readonly recent = new RecentRecording();
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

  constructor(initialClasses = 2) {
    super();
    for (let i = 0; i < initialClasses; i++) this.addClass();
  }

  get embedder(): Embedder | null {
    return this.activeEmbedder;
  }

  get voteOptions(): VoteOptions {
    return this.vote;
  }

  set voteOptions(options: VoteOptions) {
    if (!(Number.isInteger(options.k) && options.k >= 1) || !Number.isFinite(options.sharpness)) {
      throw new RangeError(`k must be a whole number of at least 1 and sharpness finite (got k=${options.k}, sharpness=${options.sharpness}).`);
    }
    if (options.method !== undefined && !isVoteMethod(options.method)) {
      throw new RangeError(`The vote method is 'soft-nearest', 'mean-of-k' or 'knn-classifier', not ${JSON.stringify(options.method)}.`);
    }
    this.vote = voteOf(options);
    this.classic.follow(this.vote);
    this.changed({ kind: 'settings' });
  }

  /** How readily a frame is called unknown: 0 never, 1 the most eager. */
  get unknownSensitivity(): number {
    return this.sensitivity;
  }

  set unknownSensitivity(sensitivity: number) {
    if (!(sensitivity >= 0 && sensitivity <= 1)) throw new RangeError(`Sensitivity must be between 0 and 1, not ${sensitivity}.`);
    this.sensitivity = sensitivity;
    this.changed({ kind: 'settings' });
  }

  get classifierMode(): ClassifierMode {
    return this.mode;
  }

  set classifierMode(mode: ClassifierMode) {
    if (!isClassifierMode(mode)) throw new RangeError(`The mode is 'knn', 'dense' or 'both', not ${JSON.stringify(mode)}.`);
    this.mode = mode;
    this.changed({ kind: 'settings' });
  }

  get denseSettings(): DenseTrainingSettings {
    return this.dense;
  }

  set denseSettings(settings: DenseTrainingSettings) {
    const problems = Object.entries(settingsProblems(settings));
    if (problems.length) throw new RangeError(problems.map(([name, problem]) => `${name}: ${problem}`).join(' '));
    this.dense = denseOf(settings);
    this.changed({ kind: 'settings' });
  }

  /** Resolves once the current model's k-NN store has no fit running (one starts in the background after a recording). */
  async settled(): Promise<void> {
    const modelId = this.activeEmbedder?.spec.id;
    if (modelId) await this.examples.classifierFor(modelId).settled();
  }

  /**
   * Brings the "none of these" calibration up to date with the current model's examples. processFrame starts it by
   * itself after the examples change, on the first frame that records nothing, and keeps using the last calibration
   * until it is done, so frames never wait for it.
   */
  recalibrate(): Promise<void> {
    return this.calibrator.recalibrate();
  }

  /**
   * The head frames of `modelId` are also classified by while the mode uses it (null for none). The caller keeps
   * ownership: it sets null here before disposing the head.
   */
  setFrameHead(modelId: ModelId, head: DenseHead | null): void {
    this.frameHead = head ? { modelId, head } : null;
  }

  /** How much the stream's stable top class is smoothed (src/pipeline/prediction-stream.ts); saved with the classes. */
  get smoothing(): SmoothingLevel {
    return this.stream.smoothing;
  }

  set smoothing(level: SmoothingLevel) {
    if (!isSmoothingLevel(level)) throw new RangeError(`Smoothing is "off", "low" or "high", not ${JSON.stringify(level)}.`);
    this.stream.smoothing = level;
    this.changed({ kind: 'settings' });
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

  /**
   * One square frame through the core, one way: embeds it (its numbers read once), adds it to `recordTo` when given
   * (and that class still exists), classifies it (k-NN, and the dense head when the mode uses it), says whether it
   * is "none of these", and pushes what the mode shows into the steady stream.
   * @param thumbnail makes the thumbnail of this frame; only called when the frame is recorded.
   */
  async processFrame(pixels: Pixels, recordTo: string | null, thumbnail?: () => string): Promise<FrameResult> {
    const embedder = this.activeEmbedder;
    if (!embedder) throw new Error('No model is loaded yet.');
    const modelId = embedder.spec.id;
    const classifier = this.examples.classifierFor(modelId);
    const recordedTo = recordTo !== null && this.hasClass(recordTo) ? recordTo : null;
    const head = this.mode !== 'knn' && this.frameHead?.modelId === modelId ? this.frameHead.head : null;
    const embedding = embedder.embed(pixels);
    let values: Float32Array;
    let dense: Promise<DenseHeadPrediction> | null;
    try {
      values = embedding.dataSync<'float32'>();
      // The head's tensor work runs before its first await, so the embedding (and a head disposed later in this
      // frame) can go now.
      dense = head ? head.predict(embedding) : null;
    } finally {
      embedding.dispose();
    }
    if (recordedTo) {
      this.recent.added(modelId, recordedTo, classifier.exampleCount(recordedTo), Date.now());
      classifier.addExample(recordedTo, values);
      if (thumbnail) this.examples.keepThumbnails(modelId, recordedTo, [thumbnail()]);
      this.changed({ kind: 'examples-added', modelId, classId: recordedTo });
    }
    const classIds = this.classList.map((c) => c.id);
    const [prediction, densePrediction] = await Promise.all([
      this.vote.method === 'knn-classifier'
        ? this.classic.predict(classifier, values, classIds, this.vote.k)
        : classifier.predict(values, classIds, this.calibrator.voteFor(modelId)),
      dense,
    ]);
    const threshold = this.calibrator.thresholdFor(modelId, this.sensitivity, recordedTo !== null);
    const top = prediction.votes.find((v) => v.classId === prediction.classId);
    const unknown = !!top && isUnknown(top.similarity, threshold);
    const frame = streamFrameOf(this.mode, prediction, unknown, densePrediction, Date.now());
    return {
      prediction,
      dense: densePrediction,
      recordedTo,
      unknown,
      unknownThreshold: threshold,
      stream: frame ? this.stream.push(frame) : null,
    };
  }

  /**
   * The current model's classes and examples (with their kept thumbnails), ready for serializeDataset. The classes
   * are those present when this is called; their examples are read one class a task, so that the page gets a turn
   * between them (tens of MB at 10,000 examples).
   */
  async exportDataset(options: { readonly modelId?: ModelId; readonly thumbnails?: boolean } = {}): Promise<Dataset> {
    const modelId = options.modelId ?? this.activeEmbedder?.spec.id;
    if (!modelId) throw new Error('No model is loaded, so there are no examples to export yet.');
    const dimension = this.examples.dimension(modelId) ?? this.specFor(modelId)?.embeddingDim;
    if (!dimension) throw new Error(`The dimension of ${modelId}'s vectors is not known.`);
    const classes = this.classList;
    const vectors: Float32Array[] = [];
    for (const c of classes) {
      vectors.push(await this.readExamples(modelId, c.id));
      await nextTask();
    }
    return {
      model: modelId,
      dimension,
      classes: classes.map((c, i) => ({
        label: c.label,
        color: c.color,
        ...(c.output && c.output.kind !== 'none' ? { output: c.output } : {}),
        vectors: vectors[i],
        thumbnails: options.thumbnails === false ? [] : [...this.keptThumbnails(modelId, c.id)],
      })),
    };
  }

  /**
   * Imports a parsed dataset, all or nothing: everything is checked and built before anything changes, so after
   * an error (a DatasetError saying what and where) the classes and examples are exactly as they were.
   * The vectors go to the model the file names (or, if it names none, options.modelId or the loaded model).
   */
  importDataset(dataset: Dataset, options: ImportOptions): ImportResult {
    const { modelId, plan, examples, duplicates } = this.prepareImport(dataset, options);
    const before = { classes: this.classList, nextClassNumber: this.nextClassNumber };
    if (options.mode === 'replace') {
      const replaced = this.replaceExamples(ExamplesByModel.build(new Map([[modelId, examples]])));
      return this.commitReplacingImport(examples, modelId, plan, { ...before, examples: replaced });
    }
    this.examples.append(modelId, examples);
    return this.commitImport(examples, modelId, plan, duplicates);
  }

  /**
   * As importDataset, but the new examples are stored in steps (ExamplesByModel.buildInSteps), the page getting a
   * turn between them, and swapped in at the end with their space fitted. Aborted (options.signal) or failed,
   * nothing has changed. A merge refuses to finish if the classes or examples changed meanwhile.
   */
  async importDatasetInSteps(dataset: Dataset, options: ImportOptions & StepOptions): Promise<ImportResult> {
    const { modelId, plan, examples, duplicates } = this.prepareImport(dataset, options);
    const order = plan.classes.map((c) => c.id);
    let byModel: ReadonlyMap<ModelId, ModelExamples> = new Map([[modelId, examples]]);
    const version = this.examplesVersion;
    const classList = this.classList;
    if (options.mode === 'merge') {
      const merged = this.examples.snapshot();
      const current = merged.get(modelId) ?? { dimension: dataset.dimension, vectors: new Map(), thumbnails: new Map() };
      examples.vectors.forEach((rows, classId) => current.vectors.set(classId, concatRows(current.vectors.get(classId), rows)));
      examples.thumbnails.forEach((urls, classId) => current.thumbnails.set(classId, [...(current.thumbnails.get(classId) ?? []), ...urls]));
      merged.set(modelId, current);
      byModel = merged;
    }
    const built = await ExamplesByModel.buildInSteps(byModel, order, options);
    if (options.mode === 'merge' && (this.examplesVersion !== version || this.classList !== classList)) {
      built.dispose();
      throw new DatasetError('the classes changed while the file was being added: nothing was imported; import it again');
    }
    if (options.mode === 'replace') {
      const replaced = this.replaceExamples(built);
      return this.commitReplacingImport(examples, modelId, plan, { classes: this.classList, nextClassNumber: this.nextClassNumber, examples: replaced });
    }
    this.swapExamples(built);
    return this.commitImport(examples, modelId, plan, duplicates);
  }

  /** commitImport for an import that replaced everything, which can be undone. */
  private commitReplacingImport(
    examples: ModelExamples,
    modelId: ModelId,
    plan: ImportPlan,
    before: { classes: readonly ClassInfo[]; nextClassNumber: number; examples: ExamplesByModel },
  ): ImportResult {
    const result = this.commitImport(examples, modelId, plan, 0);
    this.history.push({ kind: 'state', label: 'the import that replaced your classes', ...before, after: this.edits });
    return result;
  }

  /**
   * What importing `dataset` would do, for the page to show before it does it; the same checks as the import (a
   * DatasetError says what is wrong), and nothing changes.
   */
  previewImport(dataset: Dataset, options: ImportOptions): ImportPreview {
    const { modelId, plan, examples, duplicates } = this.prepareImport(dataset, options);
    let before = 0;
    for (const { modelId: model } of this.examples.modelsWithExamples()) for (const c of this.classList) before += this.examples.count(model, c.id);
    const fileExamples = [...examples.vectors.values()].reduce((n, rows) => n + rows.length / dataset.dimension, duplicates);
    return {
      mode: options.mode,
      modelId,
      before: { classes: this.classList.length, examples: before },
      file: { classes: dataset.classes.length, examples: fileExamples },
      newClasses: plan.targets.filter((t) => !t.existed).length,
      matchedClasses: plan.targets.filter((t) => t.existed).length,
      duplicates,
    };
  }

  /** Checks an import and plans it; nothing changes. An "add" leaves out the examples already in their class. */
  private prepareImport(dataset: Dataset, options: ImportOptions): { modelId: ModelId; plan: ImportPlan; examples: ModelExamples; duplicates: number } {
    const modelId = (dataset.model ?? options.modelId ?? this.activeEmbedder?.spec.id) as ModelId | undefined;
    if (!modelId) {
      throw new DatasetError('the file does not say which model made its vectors, and no model is loaded: load that model, then import again');
    }
    const spec = this.specFor(modelId);
    if (!spec) throw new DatasetError(`the vectors were made by "${modelId}", a model this app does not know`, '"model"');
    if (spec.embeddingDim !== dataset.dimension) {
      throw new DatasetError(
        `the file's vectors have ${dataset.dimension} numbers each, but ${spec.name} makes ${spec.embeddingDim}`,
        '"dimension"',
      );
    }
    const plan = planImport(this.classList, this.nextClassNumber, dataset, options.mode);
    const examples: ModelExamples = {
      dimension: dataset.dimension,
      vectors: new Map(plan.targets.map((t, i) => [t.classId, dataset.classes[i].vectors])),
      thumbnails: new Map(plan.targets.map((t, i) => [t.classId, dataset.classes[i].thumbnails])),
    };
    if (options.mode === 'replace') return { modelId, plan, examples, duplicates: 0 };
    return { modelId, plan, ...skipPresent(examples, plan, (classId) => this.examples.readNow(modelId, classId)) };
  }

  /** The class list of an import whose examples are in: nothing here can fail. */
  private commitImport(examples: ModelExamples, modelId: ModelId, plan: ImportPlan, duplicates: number): ImportResult {
    this.classList = [...plan.classes];
    this.nextClassNumber = plan.nextClassNumber;
    this.changed({ kind: 'everything' });
    return {
      modelId,
      classesAdded: plan.targets.filter((t) => !t.existed).length,
      classesMerged: plan.targets.filter((t) => t.existed).length,
      examplesAdded: [...examples.vectors.values()].reduce((sum, rows) => sum + rows.length / examples.dimension, 0),
      duplicatesSkipped: duplicates,
    };
  }

  /** Classes and settings, for autosave (the examples are read with readExamples). */
  savedState(): SavedState {
    return {
      classes: this.classList,
      nextClassNumber: this.nextClassNumber,
      settings: { ...this.vote, unknownSensitivity: this.sensitivity },
      mode: this.mode,
      dense: this.dense,
      smoothing: this.stream.smoothing,
    };
  }

  /** Puts back what autosave saved, all or nothing (a RangeError says what is inconsistent). */
  restoreState(state: SavedState, examples: readonly SavedExamples[]): void {
    checkSavedState(state, examples);
    this.applyState(state, ExamplesByModel.build(savedExamplesByModel(examples)));
  }

  /**
   * As restoreState, but the examples are stored in steps, the page getting a turn between them: the classes, their
   * counts and their examples change together at the end, with the space fitted, so predictions follow at once.
   */
  async restoreStateInSteps(state: SavedState, examples: readonly SavedExamples[], options: StepOptions = {}): Promise<void> {
    checkSavedState(state, examples);
    const built = await ExamplesByModel.buildInSteps(savedExamplesByModel(examples), state.classes.map((c) => c.id), options);
    this.applyState(state, built);
  }

  private applyState(state: SavedState, examples: ExamplesByModel): void {
    this.swapExamples(examples);
    this.history.clear();
    this.restored = true;
    // Outputs were checked above; parsing again keeps only the fields an output has.
    this.classList = state.classes.map((c) => ({ id: c.id, label: c.label, color: c.color, ...(c.output ? { output: parseClassOutput(c.output) } : {}) }));
    this.nextClassNumber = state.nextClassNumber;
    this.vote = voteOf(state.settings);
    this.classic.follow(this.vote);
    // Saved before "none of these" existed: the default.
    this.sensitivity = state.settings.unknownSensitivity ?? DEFAULT_UNKNOWN_SENSITIVITY;
    this.mode = state.mode ?? 'knn';
    this.dense = state.dense ? denseOf(state.dense) : DEFAULT_TRAINING_SETTINGS;
    this.stream.smoothing = state.smoothing ?? DEFAULT_SMOOTHING;
    this.changed({ kind: 'everything' });
  }

  dispose(): void {
    this.history.clear();
    this.classic.dispose();
    this.examples.dispose();
  }

  private specFor(modelId: ModelId): ModelSpec | undefined {
    return findModel(modelId) ?? this.specs.get(modelId);
  }

  private swapExamples(examples: ExamplesByModel): void {
    this.replaceExamples(examples).dispose();
  }

  /** Makes `examples` the current ones and returns those they replace, for an undo step to keep. */
  private replaceExamples(examples: ExamplesByModel): ExamplesByModel {
    const old = this.examples;
    this.examples = examples;
    return old;
  }

  protected override changed(detail: TeachableChange): void {
    if (detail.kind !== 'settings' && detail.kind !== 'classes') {
      this.examplesVersion++;
      this.calibrator.examplesChanged();
    }
    if (detail.kind === 'examples-cleared' || detail.kind === 'examples-rewritten' || detail.kind === 'class-deleted') this.classic.forget(detail.classId);
    if (detail.kind !== 'settings' && detail.kind !== 'model') this.edits++;
    if (detail.kind !== 'settings' && detail.kind !== 'model' && detail.kind !== 'examples-added' && detail.kind !== 'classes') this.recent.forget();
    if (detail.kind === 'everything') this.classic.forget();
    super.changed(detail);
  }
}

const examplesText = (n: number) => `${n} example${n === 1 ? '' : 's'}`;

function concatRows(before: Float32Array | undefined, after: Float32Array): Float32Array {
  if (!before?.length) return after;
  const rows = new Float32Array(before.length + after.length);
  rows.set(before);
  rows.set(after, before.length);
  return rows;
}
