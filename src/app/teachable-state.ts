/** What autosave keeps besides the vectors, and the checks a restore makes before it changes anything. */
import { isVoteMethod, type VoteOptions } from '../classifier/knn/vote';
import { isClassifierMode, settingsProblems, type ClassifierMode, type DenseTrainingSettings } from './dense-settings';
import type { ModelExamples } from './examples-by-model';
import { cleanLabel, isColor } from './labels';
import type { ModelId } from '../models/catalog';
import { parseClassOutput, type ClassOutput } from '../outputs/class-output';
import { isSmoothingLevel, type SmoothingLevel } from '../pipeline/prediction-stream';
import { recordingProblems, type RecordingSettings } from './timed-recording';

/** The vote settings and how readily a frame is called unknown (absent in states saved before it existed). */
export interface SavedSettings extends VoteOptions {
  readonly unknownSensitivity?: number;
}

export interface SavedState {
  readonly classes: readonly { readonly id: string; readonly label: string; readonly color: string; readonly output?: ClassOutput; readonly disabled?: true }[];
  /** Class ids are `class-<n>`; n is never reused, even after a reload. */
  readonly nextClassNumber: number;
  readonly settings: SavedSettings;
  /** Absent in states saved before the dense head existed: then 'knn'. */
  readonly mode?: ClassifierMode;
  /** Absent in states saved before the dense head existed: then the defaults. */
  readonly dense?: DenseTrainingSettings;
  /** Absent in states saved before there was a setting. */
  readonly smoothing?: SmoothingLevel;
  /** Absent in states saved before recording without holding: then the defaults (hold to record). */
  readonly recording?: RecordingSettings;
}

/** One class's examples for one model. */
export interface SavedExamples {
  readonly modelId: ModelId;
  readonly dimension: number;
  readonly classId: string;
  readonly vectors: Float32Array;
  readonly thumbnails: readonly string[];
}

/** Storage can be stale or tampered with: anything inconsistent is refused with a RangeError. */
export function checkSavedState(state: SavedState, examples: readonly SavedExamples[]): void {
  const ids = new Set<string>();
  for (const c of state.classes) {
    const number = /^class-(\d+)$/.exec(c.id)?.[1];
    if (number === undefined || Number(number) >= state.nextClassNumber) throw new RangeError(`Bad class id ${JSON.stringify(c.id)}.`);
    if (ids.has(c.id)) throw new RangeError(`Class id ${c.id} appears twice.`);
    ids.add(c.id);
    if (typeof c.label !== 'string' || !c.label || cleanLabel(c.label) !== c.label) throw new RangeError(`Bad label for ${c.id}.`);
    if (!isColor(c.color)) throw new RangeError(`Bad colour for ${c.id}.`);
    if (c.disabled !== undefined && c.disabled !== true) throw new RangeError(`Bad "disabled" for ${c.id}.`);
    if (c.output !== undefined) {
      try {
        parseClassOutput(c.output);
      } catch (error) {
        throw new RangeError(`Bad output for ${c.id}: ${(error as Error).message}.`, { cause: error });
      }
    }
  }
  const { k, sharpness } = state.settings;
  if (!(Number.isInteger(k) && k >= 1) || !Number.isFinite(sharpness)) throw new RangeError('Bad vote settings.');
  const sensitivity = state.settings.unknownSensitivity;
  if (sensitivity !== undefined && !(sensitivity >= 0 && sensitivity <= 1)) throw new RangeError('Bad unknown sensitivity.');
  const { method } = state.settings;
  if (method !== undefined && !isVoteMethod(method)) throw new RangeError('Bad vote method.');
  if (state.mode !== undefined && !isClassifierMode(state.mode)) throw new RangeError('Bad classifier mode.');
  if (state.dense !== undefined && Object.keys(settingsProblems(state.dense)).length) throw new RangeError('Bad dense head settings.');
  if (state.smoothing !== undefined && !isSmoothingLevel(state.smoothing)) throw new RangeError('Bad smoothing setting.');
  if (state.recording !== undefined && Object.keys(recordingProblems(state.recording)).length) throw new RangeError('Bad recording settings.');
  const dimensions = new Map<ModelId, number>();
  const seen = new Set<string>();
  for (const e of examples) {
    if (!ids.has(e.classId)) throw new RangeError(`Examples of ${e.modelId} belong to no class (${e.classId}).`);
    const key = `${e.modelId}\u0000${e.classId}`;
    if (seen.has(key)) throw new RangeError(`${e.classId} has two sets of examples for ${e.modelId}.`);
    seen.add(key);
    if (!(Number.isSafeInteger(e.dimension) && e.dimension > 0) || e.vectors.length % e.dimension !== 0) {
      throw new RangeError(`${e.vectors.length} numbers of ${e.classId} for ${e.modelId} are not rows of ${e.dimension}.`);
    }
    if ((dimensions.get(e.modelId) ?? e.dimension) !== e.dimension) throw new RangeError(`${e.modelId} has two dimensions.`);
    dimensions.set(e.modelId, e.dimension);
  }
}

/** Saved examples grouped by model, as ExamplesByModel.build takes them. */
export function savedExamplesByModel(examples: readonly SavedExamples[]): Map<ModelId, ModelExamples> {
  const byModel = new Map<ModelId, { dimension: number; vectors: Map<string, Float32Array>; thumbnails: Map<string, readonly string[]> }>();
  for (const e of examples) {
    const entry = byModel.get(e.modelId) ?? { dimension: e.dimension, vectors: new Map(), thumbnails: new Map() };
    entry.vectors.set(e.classId, e.vectors);
    entry.thumbnails.set(e.classId, e.thumbnails);
    byModel.set(e.modelId, entry);
  }
  return byModel;
}

/** A copy holding only the known fields (`method` only when given, so saved {k, sharpness} settings stay as they were). */
export function voteOf(options: VoteOptions): VoteOptions {
  return options.method ? { k: options.k, sharpness: options.sharpness, method: options.method } : { k: options.k, sharpness: options.sharpness };
}

export function denseOf(s: DenseTrainingSettings): DenseTrainingSettings {
  return { units: s.units, epochs: s.epochs, learningRate: s.learningRate, batchSize: s.batchSize };
}
