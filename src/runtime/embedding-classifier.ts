/**
 * The DOM-free half of the runtime: the classes' examples in the app's own k-NN store, voted on with the app's own
 * vote and "none of these" threshold, for images the app's own Embedder embeds. The browser's loadClassifier and
 * the command line (npm run predict) both classify through it, so they answer as the app does.
 */
import * as tf from '@tensorflow/tfjs';
import { KnnClassifier } from '../classifier/knn/knn';
import { calibrateUnknown, DEFAULT_UNKNOWN_SENSITIVITY, isUnknownVote, NEVER_UNKNOWN, unknownRule, type UnknownCalibration, type UnknownRule } from '../classifier/knn/unknown';
import { DEFAULT_VOTE, type VoteOptions } from '../classifier/knn/vote';
import { totalExamples, type Dataset } from '../dataset';
import type { ModelSpec } from '../models/catalog';
import type { Embedder } from '../models/embedder';
import { ClassifierError } from './errors';

export interface ClassConfidence {
  readonly label: string;
  /** 0..1; the confidences of all classes add up to 1. */
  readonly confidence: number;
}

export interface Classification {
  /** The best-matching class (when `unknown`, the nearest one, though far from it). */
  readonly label: string;
  /** That class's confidence. */
  readonly confidence: number;
  /** Every class of the file, in its order. */
  readonly confidences: readonly ClassConfidence[];
  /** "None of these": the image is far from every class, as the app's threshold judges it. */
  readonly unknown: boolean;
}

export interface VoteSettings {
  /** The app's vote (default: its default, 'soft-nearest'). */
  readonly vote?: VoteOptions;
  /** How readily an image is called unknown: 0 never, 1 the most eager (default: the app's, 0.2). */
  readonly unknownSensitivity?: number;
}

/** Refuses classes with no examples at all (checked before a model is loaded for them). */
export function checkHasExamples(dataset: Dataset): void {
  if (totalExamples(dataset) === 0) throw new ClassifierError('classes-file', 'The classes file holds no examples: teach some classes first.');
}

function checkSensitivity(sensitivity: number): void {
  if (!(sensitivity >= 0 && sensitivity <= 1)) {
    throw new ClassifierError('options', `unknownSensitivity is between 0 and 1, not ${sensitivity}.`);
  }
}

export class EmbeddingClassifier {
  private disposed = false;

  private vote: VoteOptions;
  private calibration: UnknownCalibration | null = null;
  private unknown: UnknownRule = NEVER_UNKNOWN;

  private constructor(
    readonly model: ModelSpec,
    readonly labels: readonly string[],
    private readonly embedder: Embedder,
    private readonly ownsEmbedder: boolean,
    private readonly knn: KnnClassifier,
    private readonly dimension: number,
    private readonly uncalibratedVote: VoteOptions,
    private sensitivity: number,
  ) {
    this.vote = uncalibratedVote;
  }

  /** Sets how readily an image is called unknown, 0 (never) to 1, from the calibration made when loading. */
  setUnknownSensitivity(sensitivity: number): void {
    checkSensitivity(sensitivity);
    this.sensitivity = sensitivity;
    if (this.calibration) this.unknown = unknownRule(this.calibration, sensitivity);
  }

  /** Whether "none of these" is calibrated yet (see `create`'s `calibrateLater`). */
  get calibrated(): boolean {
    return this.calibration !== null;
  }

  /**
   * Stores `dataset`'s examples and calibrates "none of these" on them. `embedder` must be the model the examples
   * were made with (see modelForClasses); with `ownsEmbedder`, dispose() disposes it too. With `calibrateLater`, the
   * calibration waits for calibrate(): until then images are voted on as the app votes before it calibrates (the
   * default sharpness, never "none of these"), so a page can show its first answer sooner.
   */
  static create(embedder: Embedder, dataset: Dataset, settings: VoteSettings = {}, ownsEmbedder = true, calibrateLater = false): EmbeddingClassifier {
    const vote = settings.vote ?? DEFAULT_VOTE;
    const sensitivity = settings.unknownSensitivity ?? DEFAULT_UNKNOWN_SENSITIVITY;
    if (!(vote.k >= 1) || !Number.isFinite(vote.sharpness)) {
      throw new ClassifierError('options', `The vote needs k of at least 1 and a finite sharpness (got k=${vote.k}, sharpness=${vote.sharpness}).`);
    }
    checkSensitivity(sensitivity);
    if (dataset.dimension !== embedder.spec.embeddingDim) {
      throw new ClassifierError('wrong-model', `The classes hold examples of ${dataset.dimension} numbers; ${embedder.spec.name} makes ${embedder.spec.embeddingDim}.`);
    }
    checkHasExamples(dataset);
    const labels = dataset.classes.map((c) => c.label);
    // The page that loads this may not be cross-origin isolated, and Node has no Worker: the store scans alone.
    const knn = new KnnClassifier({ parallelScan: false });
    try {
      knn.writeClasses(new Map(dataset.classes.map((c) => [c.label, c.vectors])), dataset.dimension, 'replace');
      const classifier = new EmbeddingClassifier(embedder.spec, labels, embedder, ownsEmbedder, knn, dataset.dimension, vote, sensitivity);
      if (!calibrateLater) classifier.calibrate();
      return classifier;
    } catch (error) {
      knn.dispose();
      if (error instanceof ClassifierError) throw error;
      throw new ClassifierError('classes-file', `The classes cannot be stored: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** Calibrates "none of these" and the confidences' sharpness on the stored examples (once; later calls do nothing). */
  calibrate(): void {
    if (this.calibration || this.disposed) return;
    // Calibrated on the stored (unit) rows, as the app calibrates on what its store holds.
    const calibration = calibrateUnknown({ classIds: this.labels, vectors: this.labels.map((l) => this.knn.classVectors(l)), dim: this.dimension }, { vote: this.uncalibratedVote });
    // And with the confidences' sharpness fitted to them, as the app votes once it has calibrated.
    this.vote = calibration.sharpness === null ? this.uncalibratedVote : { ...this.uncalibratedVote, sharpness: calibration.sharpness };
    this.calibration = calibration;
    this.unknown = unknownRule(calibration, this.sensitivity);
  }

  /** The class of 224 x 224 RGBA pixels (ImageData's layout), the square the app embeds. */
  async classifyRgba(rgba: Uint8Array | Uint8ClampedArray): Promise<Classification> {
    this.checkLive();
    const embedding = this.embedder.embedRgba(rgba);
    try {
      return await this.classifyEmbedding(embedding);
    } finally {
      embedding.dispose();
    }
  }

  /**
   * classifyRgba of several images, embedded in one run of the network (quicker per image on wasm), each with its
   * embedding's numbers (the command line prints them to compare with the browser's).
   */
  async classifyRgbaBatch(images: readonly (Uint8Array | Uint8ClampedArray)[]): Promise<{ readonly result: Classification; readonly embedding: Float32Array }[]> {
    this.checkLive();
    const batch = this.embedder.embedRgbaBatch(images);
    let flat: Float32Array;
    try {
      flat = (await batch.data()) as Float32Array;
    } finally {
      batch.dispose();
    }
    const dim = this.model.embeddingDim;
    const answers = [];
    for (let i = 0; i < images.length; i++) {
      const embedding = flat.slice(i * dim, (i + 1) * dim);
      const tensor = tf.tensor1d(embedding);
      try {
        answers.push({ result: await this.classifyEmbedding(tensor), embedding });
      } finally {
        tensor.dispose();
      }
    }
    return answers;
  }

  /** Votes on an embedding of this model; the caller keeps (and disposes) it. */
  async classifyEmbedding(embedding: tf.Tensor1D): Promise<Classification> {
    this.checkLive();
    const prediction = await this.knn.predict(embedding.dataSync<'float32'>(), this.labels, this.vote);
    const confidences = prediction.votes.map((v) => ({ label: v.classId, confidence: v.confidence }));
    const top = prediction.votes.find((v) => v.classId === prediction.classId) ?? prediction.votes[0];
    return { label: top.classId, confidence: top.confidence, confidences, unknown: isUnknownVote(prediction.votes, top.classId, this.unknown) };
  }

  /** Lets the examples (and, when it owns it, the model) go. Later calls are refused. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.knn.dispose();
    if (this.ownsEmbedder) this.embedder.dispose();
  }

  private checkLive(): void {
    if (this.disposed) throw new ClassifierError('disposed', 'This classifier was disposed.');
  }
}
