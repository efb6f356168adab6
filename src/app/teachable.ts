import type { DenseHead } from '../classifier/dense-head/dense-head';
import { DEFAULT_UNKNOWN_SENSITIVITY, isUnknownVote, type UnknownRule } from '../classifier/knn/unknown';
import { ClassicChoice } from '../classifier/knn/classic-knn';
import type { KnnPrediction } from '../classifier/knn/knn';
import { DEFAULT_VOTE, isVoteMethod, type VoteOptions } from '../classifier/knn/vote';
import { DEFAULT_TRAINING_SETTINGS, isClassifierMode, settingsProblems, type ClassifierMode, type DenseTrainingSettings } from './dense-settings';
import { ExamplesByModel, type StepOptions } from './examples-by-model';
import type { ModelId } from '../models/catalog';
import type { Pixels } from '../models/embedder';
import { parseClassOutput } from '../outputs/class-output';
import { DEFAULT_SMOOTHING, isSmoothingLevel, PredictionStream, streamFrameOf, type SmoothingLevel } from '../pipeline/prediction-stream';
import { embedOnPage, predictDense } from './frame-values';
import { TeachableIO } from './teachable-io';
import { checkSavedState, denseOf, savedExamplesByModel, voteOf, type SavedExamples, type SavedState } from './teachable-state';
import type { FrameResult, TeachableChange } from './teachable-types';
import { UnknownCalibrator } from './unknown-calibrator';
import { DEFAULT_RECORDING, recordingOf, type RecordingSettings } from './timed-recording';

export { MAX_LABEL_LENGTH, cleanLabel } from './labels';
export { DuplicateLabelError } from './class-list';
export { THUMBNAILS_KEPT, type StepOptions } from './examples-by-model';
export type { SavedExamples, SavedState } from './teachable-state';
export type { ClassInfo, FrameResult, ImportOptions, ImportResult, TeachableChange } from './teachable-types';
export type { UndoResult } from './undo-history';
export { describeImport, type ImportPreview } from './import-preview';
export { THUMBNAILS_SHOWN } from './example-classes';

/**
 * The app's state without any UI: the classes, their examples for each model, and the frame step
 * (embed, maybe record, classify, "none of these", the steady stream). Examples live with the model that embedded
 * them, so switching models never mixes two networks' activations; switching back finds them again.
 * Fires `change` (a CustomEvent whose detail is a TeachableChange) whenever classes, examples, settings or the model change.
 */
export class Teachable extends TeachableIO {
  private vote: VoteOptions = DEFAULT_VOTE;
  /** knn-classifier's own classifier while the 'knn-classifier' vote is chosen. */
  private readonly classic = new ClassicChoice();
  private sensitivity = DEFAULT_UNKNOWN_SENSITIVITY;
  private readonly calibrator = new UnknownCalibrator({
    modelId: () => this.activeEmbedder?.spec.id,
    classIds: () => this.enabledClasses.map((c) => c.id),
    dimension: (modelId) => this.examples.dimension(modelId),
    read: (modelId, classId) => this.examples.read(modelId, classId),
    vote: () => this.vote,
    settled: () => this.settled(),
  });
  private mode: ClassifierMode = 'knn';
  private dense: DenseTrainingSettings = DEFAULT_TRAINING_SETTINGS;
  private recording: RecordingSettings = DEFAULT_RECORDING;
  /** Owned by whoever trained it (HeadTrainer); only read here. */
  private frameHead: { readonly modelId: ModelId; readonly head: DenseHead } | null = null;
  /**
   * The steady stream every processed frame goes into, with its smoothing setting: the `tm-prediction` and
   * `tm-class-change` details come from it (FrameResult.stream).
   */
  readonly stream = new PredictionStream((classId) => this.classList.find((c) => c.id === classId)?.label ?? null);
  constructor(initialClasses = 2) {
    super();
    for (let i = 0; i < initialClasses; i++) this.addClass();
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

  /** How the record buttons record (src/app/timed-recording.ts); saved with the classes. */
  get recordingSettings(): RecordingSettings {
    return this.recording;
  }

  set recordingSettings(settings: RecordingSettings) {
    this.recording = recordingOf(settings);
    this.changed({ kind: 'settings' });
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

  /**
   * One square frame through the core, one way: embeds it on the page (its numbers read once), then processEmbedding.
   * @param thumbnail makes the thumbnail of this frame; only called when the frame is recorded.
   */
  async processFrame(pixels: Pixels, recordTo: string | null, thumbnail?: () => string): Promise<FrameResult> {
    const embedder = this.activeEmbedder;
    if (!embedder) throw new Error('No model is loaded yet.');
    return this.processEmbedding(embedOnPage(embedder, pixels), recordTo, thumbnail);
  }

  /**
   * One frame's embedding by the loaded model (made on the page or in the frame embedder's worker) through the core:
   * adds it to `recordTo` when given (and that class still exists), classifies it (k-NN, and the dense head when the
   * mode uses it), says whether it is "none of these", and pushes what the mode shows into the steady stream.
   * @param thumbnail makes the thumbnail of this frame; only called when the frame is recorded.
   */
  async processEmbedding(values: Float32Array, recordTo: string | null, thumbnail?: () => string): Promise<FrameResult> {
    const embedder = this.activeEmbedder;
    if (!embedder) throw new Error('No model is loaded yet.');
    const modelId = embedder.spec.id;
    if (values.length !== embedder.spec.embeddingDim) {
      throw new RangeError(`${embedder.spec.name} makes embeddings of ${embedder.spec.embeddingDim} numbers, not ${values.length}.`);
    }
    const classifier = this.examples.classifierFor(modelId);
    const recordedTo = recordTo !== null && this.hasClass(recordTo) ? recordTo : null;
    const head = this.mode !== 'knn' && this.frameHead?.modelId === modelId ? this.frameHead.head : null;
    const dense = head ? predictDense(head, values) : null;
    if (recordedTo) {
      this.recent.added(modelId, recordedTo, classifier.exampleCount(recordedTo), Date.now());
      classifier.addExample(recordedTo, values);
      if (thumbnail) this.examples.keepThumbnails(modelId, recordedTo, [thumbnail()]);
      this.changed({ kind: 'examples-added', modelId, classId: recordedTo });
    }
    const [{ prediction, rule, unknown }, densePrediction] = await Promise.all([this.voteOn(modelId, values, recordedTo !== null), dense]);
    const frame = streamFrameOf(this.mode, prediction, unknown, densePrediction, Date.now());
    return {
      prediction,
      dense: densePrediction,
      recordedTo,
      unknown,
      unknownThreshold: rule.threshold,
      stream: frame ? this.stream.push(frame) : null,
    };
  }

  /**
   * The k-NN's answer for one image ("Try an image"), voted as a frame is, without recording it, moving the steady
   * stream or starting a calibration.
   */
  async predictImage(pixels: Pixels): Promise<{ readonly prediction: KnnPrediction; readonly unknown: boolean }> {
    const embedder = this.activeEmbedder;
    if (!embedder) throw new Error('No model is loaded yet.');
    // As while recording: the rule in use, with no recalibration started by this image.
    const { prediction, unknown } = await this.voteOn(embedder.spec.id, embedOnPage(embedder, pixels), true);
    return { prediction, unknown };
  }

  /**
   * The vote on one embedding over the classes turned on, and whether it is "none of these" under the rule in use;
   * `recording` keeps the rule as it is (no recalibration started).
   */
  private async voteOn(modelId: ModelId, values: Float32Array, recording: boolean): Promise<{ prediction: KnnPrediction; rule: UnknownRule; unknown: boolean }> {
    const classifier = this.examples.classifierFor(modelId);
    const classIds = this.enabledClasses.map((c) => c.id);
    const prediction =
      this.vote.method === 'knn-classifier'
        ? await this.classic.predict(classifier, values, classIds, this.vote.k)
        : await classifier.predict(values, classIds, this.calibrator.voteFor(modelId));
    const rule = this.calibrator.ruleFor(modelId, this.sensitivity, recording);
    const unknown = prediction.classId !== null && isUnknownVote(prediction.votes, prediction.classId, rule);
    return { prediction, rule, unknown };
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
      recording: this.recording,
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
    // Fitted for the classes a vote asks about: those turned on.
    const voting = state.classes.filter((c) => !c.disabled).map((c) => c.id);
    const built = await ExamplesByModel.buildInSteps(savedExamplesByModel(examples), voting, options);
    this.applyState(state, built);
  }

  private applyState(state: SavedState, examples: ExamplesByModel): void {
    this.swapExamples(examples);
    this.history.clear();
    this.restored = true;
    // Outputs were checked above; parsing again keeps only the fields an output has.
    this.classList = state.classes.map((c) => ({
      id: c.id,
      label: c.label,
      color: c.color,
      ...(c.output ? { output: parseClassOutput(c.output) } : {}),
      ...(c.disabled ? { disabled: true as const } : {}),
    }));
    this.nextClassNumber = state.nextClassNumber;
    this.vote = voteOf(state.settings);
    this.classic.follow(this.vote);
    // Saved before "none of these" existed: the default.
    this.sensitivity = state.settings.unknownSensitivity ?? DEFAULT_UNKNOWN_SENSITIVITY;
    this.mode = state.mode ?? 'knn';
    this.dense = state.dense ? denseOf(state.dense) : DEFAULT_TRAINING_SETTINGS;
    this.stream.smoothing = state.smoothing ?? DEFAULT_SMOOTHING;
    this.recording = state.recording ? recordingOf(state.recording) : DEFAULT_RECORDING;
    this.changed({ kind: 'everything' });
  }

  dispose(): void {
    this.history.clear();
    this.classic.dispose();
    this.examples.dispose();
  }

  /** As ClassList's, and the "none of these" calibration is made again without (or with) the class. */
  override setClassEnabled(id: string, enabled: boolean): void {
    const before = this.enabledClasses.length;
    super.setClassEnabled(id, enabled);
    if (this.enabledClasses.length !== before) this.calibrator.examplesChanged();
  }

  protected override changed(detail: TeachableChange): void {
    if (detail.kind !== 'settings' && detail.kind !== 'classes') this.calibrator.examplesChanged();
    if (detail.kind === 'examples-cleared' || detail.kind === 'examples-rewritten' || detail.kind === 'class-deleted') this.classic.forget(detail.classId);
    if (detail.kind === 'everything') this.classic.forget();
    super.changed(detail);
  }
}
