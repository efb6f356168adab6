import type * as tf from '@tensorflow/tfjs';
import type { DenseHead, DenseHeadPrediction } from '../classifier/dense-head/dense-head';
import { calibrateInBackground } from '../classifier/analysis/analysis';
import { ClassicChoice } from '../classifier/knn/classic-knn';
import type { KnnPrediction } from '../classifier/knn/knn';
import { DEFAULT_UNKNOWN_SENSITIVITY, isUnknown, unknownThreshold, type UnknownCalibration } from '../classifier/knn/unknown';
import { DEFAULT_VOTE, isVoteMethod, type VoteOptions } from '../classifier/knn/vote';
import { DatasetError, planImport, type Dataset, type ImportMode, type ImportPlan } from '../dataset';
import { DEFAULT_TRAINING_SETTINGS, isClassifierMode, settingsProblems, type ClassifierMode, type DenseTrainingSettings } from './dense-settings';
import { ExamplesByModel, type ModelExamples, type StepOptions } from './examples-by-model';
import { cleanLabel, defaultColor, isColor } from './labels';
import { findModel, type ModelId, type ModelSpec } from '../models/catalog';
import type { Embedder, Pixels } from '../models/embedder';
import { NO_OUTPUT, parseClassOutput, type ClassOutput } from '../outputs/class-output';
import { nextTask } from '../platform/next-task';
import { DEFAULT_SMOOTHING, isSmoothingLevel, type SmoothingLevel } from '../pipeline/prediction-stream';
import { checkSavedState, type SavedExamples, type SavedState } from './teachable-state';

export { MAX_LABEL_LENGTH, cleanLabel } from './labels';
export { THUMBNAILS_KEPT, type StepOptions } from './examples-by-model';
export type { SavedExamples, SavedState } from './teachable-state';

export interface ClassInfo {
  readonly id: string;
  readonly label: string;
  /** `#rrggbb`. */
  readonly color: string;
  /** What happens when the class becomes the stable top class; absent means none. */
  readonly output?: ClassOutput;
}

export interface FrameResult {
  readonly prediction: KnnPrediction;
  /** The dense head's prediction on the same embedding, when the mode uses it and a head for this model is set. */
  readonly dense: DenseHeadPrediction | null;
  /** The class this frame was added to, or null. */
  readonly recordedTo: string | null;
  /** "None of these": the winning class's score is below the threshold calibrated on the examples (classifier/unknown.ts). */
  readonly unknown: boolean;
  /** That threshold, or null while nothing can be called unknown (sensitivity 0, too few examples, not calibrated yet). */
  readonly unknownThreshold: number | null;
}

/** What a `change` event changed, so that autosave can write only that. */
export type TeachableChange =
  | { readonly kind: 'classes' } // added, renamed, recoloured or moved
  | { readonly kind: 'class-deleted'; readonly classId: string }
  | { readonly kind: 'examples-added'; readonly modelId: ModelId; readonly classId: string }
  | { readonly kind: 'examples-cleared'; readonly modelId: ModelId; readonly classId: string }
  | { readonly kind: 'settings' }
  | { readonly kind: 'model' }
  | { readonly kind: 'everything' }; // an import or a restore

export interface ImportOptions {
  readonly mode: ImportMode;
  /** Where the vectors go when the file does not name its model (ml5.js files, label maps); default: the loaded model. */
  readonly modelId?: ModelId;
}

export interface ImportResult {
  readonly modelId: ModelId;
  readonly classesAdded: number;
  readonly classesMerged: number;
  readonly examplesAdded: number;
}

/** Thumbnails a class card shows. */
export const THUMBNAILS_SHOWN = 6;

/**
 * The app's state without any UI: the classes, their examples for each model, and the frame step
 * (embed, maybe record, classify). Examples live with the model that embedded them, so switching models
 * never mixes two networks' activations; switching back finds them again.
 * Fires `change` (a CustomEvent whose detail is a TeachableChange) whenever classes, examples, settings or the model change.
 */
export class Teachable extends EventTarget {
  private classList: ClassInfo[] = [];
  private nextClassNumber = 1;
  private examples = ExamplesByModel.empty();
  private activeEmbedder: Embedder | null = null;
  /** Every model seen, so imports can check dimensions of models outside the catalog too. */
  private readonly specs = new Map<ModelId, ModelSpec>();
  private vote: VoteOptions = DEFAULT_VOTE;
  /** knn-classifier's own classifier while the 'knn-classifier' vote is chosen. */
  private readonly classic = new ClassicChoice();
  private sensitivity = DEFAULT_UNKNOWN_SENSITIVITY;
  /** Bumped by every change that can change the examples a model classifies with, so a calibration knows it is stale. */
  private examplesVersion = 0;
  private calibration: {
    readonly modelId: ModelId;
    readonly version: number;
    /** The vote it was made for: the held-out scores and the fitted sharpness are that vote's. */
    readonly vote: VoteOptions;
    readonly value: UnknownCalibration;
  } | null = null;
  private calibrating: Promise<void> | null = null;
  private mode: ClassifierMode = 'knn';
  private dense: DenseTrainingSettings = DEFAULT_TRAINING_SETTINGS;
  /** Owned by whoever trained it (HeadTrainer); only read here. */
  private frameHead: { readonly modelId: ModelId; readonly head: DenseHead } | null = null;
  private smoothingLevel: SmoothingLevel = DEFAULT_SMOOTHING;

  constructor(initialClasses = 2) {
    super();
    for (let i = 0; i < initialClasses; i++) this.addClass();
  }

  get classes(): readonly ClassInfo[] {
    return this.classList;
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

  /**
   * Brings the "none of these" calibration up to date with the current model's examples. processFrame starts it by
   * itself after the examples change, on the first frame that records nothing, and keeps using the last calibration
   * until it is done, so frames never wait for it.
   */
  /** Resolves once the current model's k-NN store has no fit running (one starts in the background after a recording). */
  async settled(): Promise<void> {
    const modelId = this.activeEmbedder?.spec.id;
    if (modelId) await this.examples.classifierFor(modelId).settled();
  }

  async recalibrate(): Promise<void> {
    if (this.calibrating) await this.calibrating;
    if (!this.calibrationIsStale()) return;
    this.calibrating = this.calibrate().finally(() => (this.calibrating = null));
    await this.calibrating;
  }

  /**
   * The head frames of `modelId` are also classified by while the mode uses it (null for none). The caller keeps
   * ownership: it sets null here before disposing the head.
   */
  setFrameHead(modelId: ModelId, head: DenseHead | null): void {
    this.frameHead = head ? { modelId, head } : null;
  }

  /** How much the stable top class is smoothed (src/prediction-stream.ts). */
  get smoothing(): SmoothingLevel {
    return this.smoothingLevel;
  }

  set smoothing(level: SmoothingLevel) {
    if (!isSmoothingLevel(level)) throw new RangeError(`Smoothing is "off", "low" or "high", not ${JSON.stringify(level)}.`);
    this.smoothingLevel = level;
    this.changed({ kind: 'settings' });
  }

  /** Makes `embedder` the one frames go through; examples recorded with other models stay with those models. */
  setEmbedder(embedder: Embedder | null): void {
    this.activeEmbedder = embedder;
    if (embedder) this.specs.set(embedder.spec.id, embedder.spec);
    this.changed({ kind: 'model' });
  }

  hasClass(id: string): boolean {
    return this.classList.some((c) => c.id === id);
  }

  addClass(label?: string): ClassInfo {
    const number = this.nextClassNumber++;
    const info = {
      id: `class-${number}`,
      label: cleanLabel(label ?? `Class ${number}`) || `Class ${number}`,
      color: defaultColor(number),
    };
    this.classList = [...this.classList, info];
    this.changed({ kind: 'classes' });
    return info;
  }

  /** Renames a class; a blank label is refused (the old one stays) and long ones are cut. Returns the label kept. */
  renameClass(id: string, label: string): string {
    const info = this.requireClass(id);
    const clean = cleanLabel(label);
    if (!clean) return info.label;
    this.updateClass(id, { label: clean });
    return clean;
  }

  /** @param color `#rrggbb` */
  setClassColor(id: string, color: string): void {
    this.requireClass(id);
    const lower = color.toLowerCase();
    if (!isColor(lower)) throw new RangeError(`A colour looks like "#1a2b3c", not ${JSON.stringify(color)}.`);
    this.updateClass(id, { color: lower });
  }

  /** What the class does when it becomes the stable top class (checked with parseClassOutput before it gets here). */
  setClassOutput(id: string, output: ClassOutput): void {
    this.requireClass(id);
    this.updateClass(id, { output });
  }

  /** The class's output, none when it has not chosen one. */
  classOutput(id: string): ClassOutput {
    return this.classList.find((c) => c.id === id)?.output ?? NO_OUTPUT;
  }

  /** Moves a class to position `index` (clamped) of the list. */
  moveClass(id: string, index: number): void {
    const info = this.requireClass(id);
    const rest = this.classList.filter((c) => c.id !== id);
    const at = Math.max(0, Math.min(rest.length, Math.trunc(index)));
    rest.splice(at, 0, info);
    this.classList = rest;
    this.changed({ kind: 'classes' });
  }

  deleteClass(id: string): void {
    this.requireClass(id);
    this.examples.clearEverywhere(id);
    this.classList = this.classList.filter((c) => c.id !== id);
    this.changed({ kind: 'class-deleted', classId: id });
  }

  /** Removes a class's examples for the current model. */
  clearClass(id: string): void {
    this.requireClass(id);
    const modelId = this.activeEmbedder?.spec.id;
    if (!modelId) return;
    this.examples.clear(modelId, id);
    this.changed({ kind: 'examples-cleared', modelId, classId: id });
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
   * Embeds one square frame, adds it to `recordTo` when given (and that class still exists), and classifies it.
   * @param thumbnail makes the thumbnail of this frame; only called when the frame is recorded.
   */
  async processFrame(pixels: Pixels, recordTo: string | null, thumbnail?: () => string): Promise<FrameResult> {
    const embedder = this.activeEmbedder;
    if (!embedder) throw new Error('No model is loaded yet.');
    const modelId = embedder.spec.id;
    const classifier = this.examples.classifierFor(modelId);
    const embedding: tf.Tensor1D = embedder.embed(pixels);
    try {
      const recordedTo = recordTo !== null && this.hasClass(recordTo) ? recordTo : null;
      if (recordedTo) {
        classifier.addExample(recordedTo, embedding);
        if (thumbnail) this.examples.keepThumbnails(modelId, recordedTo, [thumbnail()]);
        this.changed({ kind: 'examples-added', modelId, classId: recordedTo });
      }
      const head = this.mode !== 'knn' && this.frameHead?.modelId === modelId ? this.frameHead.head : null;
      // Its tensor work runs before the first await, so a head disposed later in this frame does not matter.
      const dense = head ? head.predict(embedding) : null;
      const classIds = this.classList.map((c) => c.id);
      const [prediction, densePrediction] = await Promise.all([
        this.vote.method === 'knn-classifier'
          ? this.classic.predict(classifier, embedding, classIds, this.vote.k)
          : classifier.predict(embedding, classIds, this.calibratedVote(modelId)),
        dense,
      ]);
      // While recording, every frame changes the examples: calibrate once it stops.
      if (!recordedTo && !this.calibrating && this.calibrationIsStale()) void this.recalibrate();
      const calibration = this.calibration?.modelId === modelId ? this.calibration.value : null;
      const threshold = calibration && unknownThreshold(calibration, this.sensitivity);
      const top = prediction.votes.find((v) => v.classId === prediction.classId);
      return {
        prediction,
        dense: densePrediction,
        recordedTo,
        unknown: !!top && isUnknown(top.similarity, threshold),
        unknownThreshold: threshold,
      };
    } finally {
      embedding.dispose();
    }
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
    const { modelId, plan, examples } = this.prepareImport(dataset, options);
    if (options.mode === 'replace') this.swapExamples(ExamplesByModel.build(new Map([[modelId, examples]])));
    else this.examples.append(modelId, examples);
    return this.commitImport(dataset, modelId, plan);
  }

  /**
   * As importDataset, but the new examples are stored in steps (ExamplesByModel.buildInSteps), the page getting a
   * turn between them, and swapped in at the end with their space fitted. Aborted (options.signal) or failed,
   * nothing has changed. A merge refuses to finish if the classes or examples changed meanwhile.
   */
  async importDatasetInSteps(dataset: Dataset, options: ImportOptions & StepOptions): Promise<ImportResult> {
    const { modelId, plan, examples } = this.prepareImport(dataset, options);
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
    this.swapExamples(built);
    return this.commitImport(dataset, modelId, plan);
  }

  /** Checks an import and plans it; nothing changes. */
  private prepareImport(dataset: Dataset, options: ImportOptions): { modelId: ModelId; plan: ImportPlan; examples: ModelExamples } {
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
    return { modelId, plan, examples };
  }

  /** The class list of an import whose examples are in: nothing here can fail. */
  private commitImport(dataset: Dataset, modelId: ModelId, plan: ImportPlan): ImportResult {
    this.classList = [...plan.classes];
    this.nextClassNumber = plan.nextClassNumber;
    this.changed({ kind: 'everything' });
    return {
      modelId,
      classesAdded: plan.targets.filter((t) => !t.existed).length,
      classesMerged: plan.targets.filter((t) => t.existed).length,
      examplesAdded: dataset.classes.reduce((sum, c) => sum + c.vectors.length / dataset.dimension, 0),
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
      smoothing: this.smoothingLevel,
    };
  }

  /** Puts back what autosave saved, all or nothing (a RangeError says what is inconsistent). */
  restoreState(state: SavedState, examples: readonly SavedExamples[]): void {
    checkSavedState(state, examples);
    this.applyState(state, ExamplesByModel.build(byModelOf(examples)));
  }

  /**
   * As restoreState, but the examples are stored in steps, the page getting a turn between them: the classes, their
   * counts and their examples change together at the end, with the space fitted, so predictions follow at once.
   */
  async restoreStateInSteps(state: SavedState, examples: readonly SavedExamples[], options: StepOptions = {}): Promise<void> {
    checkSavedState(state, examples);
    const built = await ExamplesByModel.buildInSteps(byModelOf(examples), state.classes.map((c) => c.id), options);
    this.applyState(state, built);
  }

  private applyState(state: SavedState, examples: ExamplesByModel): void {
    this.swapExamples(examples);
    // Outputs were checked above; parsing again keeps only the fields an output has.
    this.classList = state.classes.map((c) => ({ id: c.id, label: c.label, color: c.color, ...(c.output ? { output: parseClassOutput(c.output) } : {}) }));
    this.nextClassNumber = state.nextClassNumber;
    this.vote = voteOf(state.settings);
    this.classic.follow(this.vote);
    // Saved before "none of these" existed: the default.
    this.sensitivity = state.settings.unknownSensitivity ?? DEFAULT_UNKNOWN_SENSITIVITY;
    this.mode = state.mode ?? 'knn';
    this.dense = state.dense ? denseOf(state.dense) : DEFAULT_TRAINING_SETTINGS;
    this.smoothingLevel = state.smoothing ?? DEFAULT_SMOOTHING;
    this.changed({ kind: 'everything' });
  }

  dispose(): void {
    this.classic.dispose();
    this.examples.dispose();
  }

  private specFor(modelId: ModelId): ModelSpec | undefined {
    return findModel(modelId) ?? this.specs.get(modelId);
  }

  private calibrationIsStale(): boolean {
    const modelId = this.activeEmbedder?.spec.id;
    return (
      !!modelId &&
      (this.calibration?.modelId !== modelId || this.calibration.version !== this.examplesVersion || this.calibration.vote !== this.vote)
    );
  }

  /** The vote with the sharpness fitted to this model's examples, once there is one (src/classifier/knn/confidence.ts). */
  private calibratedVote(modelId: ModelId): VoteOptions {
    const sharpness = this.calibration?.modelId === modelId && this.calibration.vote === this.vote ? this.calibration.value.sharpness : null;
    return sharpness === null ? this.vote : { ...this.vote, sharpness };
  }

  /** Reads the current model's examples (without blocking the page) and calibrates on them. */
  private async calibrate(): Promise<void> {
    const modelId = this.activeEmbedder?.spec.id;
    if (!modelId) return;
    const version = this.examplesVersion;
    const vote = this.vote;
    const classIds = this.classList.map((c) => c.id);
    const dim = this.examples.dimension(modelId);
    let value: UnknownCalibration = { heldOutScores: new Float32Array(0), sharpness: null };
    try {
      const vectors = await Promise.all(classIds.map((id) => this.examples.read(modelId, id)));
      if (dim) value = await calibrateInBackground({ classIds, vectors, dim }, { vote });
    } catch {
      // The examples were replaced while being read (an import, a restore). That change makes this empty
      // calibration stale, so the next frame calibrates on the new examples; any other failure is not retried
      // on every frame, and nothing is called unknown until the examples change.
    }
    // The classifier refits its space in the background once a recording stops: the threshold is set once frames
    // are scored in the space it was calibrated in.
    await this.settled();
    this.calibration = { modelId, version, vote, value };
  }

  private swapExamples(examples: ExamplesByModel): void {
    this.examples.dispose();
    this.examples = examples;
  }

  private updateClass(id: string, change: Partial<Omit<ClassInfo, 'id'>>): void {
    this.classList = this.classList.map((c) => (c.id === id ? { ...c, ...change } : c));
    this.changed({ kind: 'classes' });
  }

  private requireClass(id: string): ClassInfo {
    const info = this.classList.find((c) => c.id === id);
    if (!info) throw new Error(`There is no class ${id}.`);
    return info;
  }

  private changed(detail: TeachableChange): void {
    if (detail.kind !== 'settings' && detail.kind !== 'classes') this.examplesVersion++;
    if (detail.kind === 'examples-cleared' || detail.kind === 'class-deleted') this.classic.forget(detail.classId);
    if (detail.kind === 'everything') this.classic.forget();
    this.dispatchEvent(new CustomEvent<TeachableChange>('change', { detail }));
  }
}

/** Saved examples grouped by model, as ExamplesByModel builds from. */
function byModelOf(examples: readonly SavedExamples[]): Map<ModelId, ModelExamples> {
  const byModel = new Map<ModelId, { dimension: number; vectors: Map<string, Float32Array>; thumbnails: Map<string, readonly string[]> }>();
  for (const e of examples) {
    const entry = byModel.get(e.modelId) ?? { dimension: e.dimension, vectors: new Map(), thumbnails: new Map() };
    entry.vectors.set(e.classId, e.vectors);
    entry.thumbnails.set(e.classId, e.thumbnails);
    byModel.set(e.modelId, entry);
  }
  return byModel;
}

function concatRows(before: Float32Array | undefined, after: Float32Array): Float32Array {
  if (!before?.length) return after;
  const rows = new Float32Array(before.length + after.length);
  rows.set(before);
  rows.set(after, before.length);
  return rows;
}

/** A copy holding only the known fields (`method` only when given, so saved {k, sharpness} settings stay as they were). */
function voteOf(options: VoteOptions): VoteOptions {
  return options.method ? { k: options.k, sharpness: options.sharpness, method: options.method } : { k: options.k, sharpness: options.sharpness };
}

function denseOf(s: DenseTrainingSettings): DenseTrainingSettings {
  return { units: s.units, epochs: s.epochs, learningRate: s.learningRate, batchSize: s.batchSize };
}
