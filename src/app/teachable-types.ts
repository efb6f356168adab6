/** The shapes Teachable hands out: its classes, a frame's result, its change events and its imports. */
import type { DenseHeadPrediction } from '../classifier/dense-head/dense-head';
import type { KnnPrediction } from '../classifier/knn/knn';
import type { ImportMode } from '../dataset';
import type { ModelId } from '../models/catalog';
import type { ClassOutput } from '../outputs/class-output';
import type { StreamStep } from '../pipeline/prediction-stream';

export interface ClassInfo {
  readonly id: string;
  readonly label: string;
  /** `#rrggbb`: drawn on the class's card and its bars. */
  readonly color: string;
  /** What happens when the class becomes the stable top class; absent means none. */
  readonly output?: ClassOutput;
  /** Turned off: kept with its examples, but not in the vote, the dense head or the calibration. Absent means on. */
  readonly disabled?: true;
}

export interface FrameResult {
  readonly prediction: KnnPrediction;
  /** The dense head's prediction on the same embedding, when the mode uses it and a head for this model is set. */
  readonly dense: DenseHeadPrediction | null;
  /** The class this frame was added to, or null. */
  readonly recordedTo: string | null;
  /** "None of these": the frame's unknown score is below the threshold calibrated on the examples (classifier/knn/unknown.ts). */
  readonly unknown: boolean;
  /** That threshold, or null while nothing can be called unknown (sensitivity 0, too few examples, not calibrated yet). */
  readonly unknownThreshold: number | null;
  /**
   * The steady stream's step for this frame (the `tm-prediction` detail, and the `tm-class-change` detail when the
   * stable class changed), from the classifier the mode shows; null when that classifier had nothing to say
   * (the dense head's mode with no head trained for this model).
   */
  readonly stream: StreamStep | null;
}

/** What a `change` event changed, so that autosave can write only that. */
export type TeachableChange =
  | { readonly kind: 'classes' } // added, renamed, recoloured, moved, turned off or on
  | { readonly kind: 'class-deleted'; readonly classId: string }
  | { readonly kind: 'examples-added'; readonly modelId: ModelId; readonly classId: string }
  | { readonly kind: 'examples-cleared'; readonly modelId: ModelId; readonly classId: string }
  /** Some of a class's examples deleted, or put back by an undo: its rows are to be written again. */
  | { readonly kind: 'examples-rewritten'; readonly modelId: ModelId; readonly classId: string }
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
  /** Examples of the file an "add" left out, being already in their class (identical vectors). */
  readonly duplicatesSkipped: number;
}
