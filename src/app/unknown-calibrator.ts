/**
 * Keeps the "none of these" calibration (classifier/knn/unknown.ts) of the current model's examples up to date. It
 * runs in the analysis worker, so frames never wait for it: they keep the last calibration until the new one is done.
 */
import { calibrateInBackground } from '../classifier/analysis/analysis';
import { NEVER_UNKNOWN, unknownRule, type UnknownCalibration, type UnknownRule } from '../classifier/knn/unknown';
import type { VoteOptions } from '../classifier/knn/vote';
import type { ModelId } from '../models/catalog';
import { nextTask } from '../platform/next-task';

/** What a calibration reads from the app's state when it starts. */
export interface CalibrationSource {
  readonly modelId: () => ModelId | undefined;
  readonly classIds: () => string[];
  readonly dimension: (modelId: ModelId) => number | null;
  /** A copy of a class's examples, which the calibration moves to its worker. */
  readonly read: (modelId: ModelId, classId: string) => Promise<Float32Array>;
  readonly vote: () => VoteOptions;
  /** Resolves once the model's k-NN store has no fit running. */
  readonly settled: () => Promise<void>;
}

export class UnknownCalibrator {
  /** Bumped by every change that can change the examples a model classifies with, so a calibration knows it is stale. */
  private examplesVersion = 0;
  private calibration: {
    readonly modelId: ModelId;
    readonly version: number;
    /** The vote it was made for: the held-out scores and the fitted sharpness are that vote's. */
    readonly vote: VoteOptions;
    readonly value: UnknownCalibration;
  } | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly source: CalibrationSource) {}

  /** The examples may have changed: the calibration is stale from now on. */
  examplesChanged(): void {
    this.examplesVersion++;
  }

  /**
   * Brings the calibration up to date with the current model's examples. Teachable.processFrame starts it by itself
   * after the examples change, on the first frame that records nothing, and keeps using the last calibration until
   * it is done.
   */
  async recalibrate(): Promise<void> {
    if (this.running) await this.running;
    if (!this.isStale()) return;
    this.running = this.calibrate().finally(() => (this.running = null));
    await this.running;
  }

  /**
   * What `modelId`'s frames are called unknown by at `sensitivity` (threshold null: nothing is). A frame that
   * recorded nothing starts a recalibration when the examples changed since the last one (while recording, every
   * frame changes them: it calibrates once recording stops).
   */
  ruleFor(modelId: ModelId, sensitivity: number, recorded: boolean): UnknownRule {
    if (!recorded && !this.running && this.isStale()) void this.recalibrate();
    const calibration = this.calibration?.modelId === modelId ? this.calibration.value : null;
    return calibration ? unknownRule(calibration, sensitivity) : NEVER_UNKNOWN;
  }

  /**
   * The vote `modelId`'s frames are voted with: the current one, with the confidences' sharpness fitted to the
   * examples once there is one (classifier/knn/confidence.ts).
   */
  voteFor(modelId: ModelId): VoteOptions {
    const vote = this.source.vote();
    const fitted = this.calibration?.modelId === modelId && this.calibration.vote === vote ? this.calibration.value.sharpness : null;
    return fitted === null ? vote : { ...vote, sharpness: fitted };
  }

  private isStale(): boolean {
    const modelId = this.source.modelId();
    return (
      !!modelId &&
      (this.calibration?.modelId !== modelId || this.calibration.version !== this.examplesVersion || this.calibration.vote !== this.source.vote())
    );
  }

  /** Reads the current model's examples (without blocking the page) and calibrates on them. */
  private async calibrate(): Promise<void> {
    const modelId = this.source.modelId();
    if (!modelId) return;
    const version = this.examplesVersion;
    const vote = this.source.vote();
    const classIds = this.source.classIds();
    const dim = this.source.dimension(modelId);
    let value: UnknownCalibration = { heldOutScores: new Float32Array(0), classSpreads: {}, sharpness: null };
    try {
      // A class a task (a large one in several, readRowsInSteps), the first too: reading them all at once held the
      // page for hundreds of ms at 10,000 examples, and the first read in the task of the frame that started this.
      const vectors: Float32Array[] = [];
      for (const id of classIds) {
        await nextTask();
        vectors.push(await this.source.read(modelId, id));
      }
      if (dim) value = await calibrateInBackground({ classIds, vectors, dim }, { vote }, true);
    } catch {
      // The examples were replaced while being read (an import, a restore). That change makes this empty
      // calibration stale, so the next frame calibrates on the new examples; any other failure is not retried
      // on every frame, and nothing is called unknown until the examples change.
    }
    // The classifier refits its space in the background once a recording stops: the threshold is set once frames
    // are scored in the space it was calibrated in.
    await this.source.settled();
    this.calibration = { modelId, version, vote, value };
  }
}
