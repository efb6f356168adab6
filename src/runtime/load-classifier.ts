import { defaultColor } from '../app/labels';
import type { Dataset } from '../dataset';
import { NO_OUTPUT, type ClassOutput } from '../outputs/class-output';
import { loadEmbedder, ModelLoadError, type LoadProgress } from '../models/loader';
import type { ModelId, ModelSpec } from '../models/catalog';
import { readClasses, type ClassesSource } from './classes-source';
import { checkHasExamples, EmbeddingClassifier, type Classification, type VoteSettings } from './embedding-classifier';
import { ClassifierError, messageOf } from './errors';
import { SquareReader, type ImageSource } from './image-source';
import { modelForClasses } from './model-choice';

export interface LoadClassifierOptions extends VoteSettings {
  /**
   * A folder URL holding one sub-folder per model, named as the app's mirror names them (e.g.
   * `mobilenet_v2_0.35_224_tm_features/model.json`). Default: the public model hosts.
   */
  readonly modelBaseUrl?: string | null;
  /**
   * Awaited before the model is loaded: a switch of TensorFlow.js's backend under way (the element's wasm backend,
   * src/runtime/runtime-backend.ts), which loading the model meanwhile would overtake. Default: the page's backend.
   */
  readonly backendReady?: Promise<unknown>;
  /** The model to load; the classes must have been made with it. Default: the one the classes file names. */
  readonly model?: ModelId;
  /**
   * Answer the first image before calibrating "none of these", then calibrate (default false). The first answer is
   * then the app's before it calibrates (the default sharpness, never "none of these"); the next ones are
   * calibrated. For a camera, whose first frame matters less than being quick.
   */
  readonly calibrateAfterFirstAnswer?: boolean;
  /** Keep the model in IndexedDB and start from it next time (default false). */
  readonly cache?: boolean;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Fetches the classes file and the model's files (default: the page's fetch). */
  readonly fetch?: typeof fetch;
}

export interface ClassifyOptions {
  /** Mirror the square left to right before classifying it (default: true for a video, as the app shows its camera). */
  readonly mirror?: boolean;
}

/** A class of the file as the app showed it: its colour and what it does when it becomes the top class. */
export interface RuntimeClass {
  readonly label: string;
  /** `#rrggbb`: the file's, else the colour the app gives the n-th class. */
  readonly color: string;
  readonly output: ClassOutput;
}

export interface TeachableClassifier {
  /** The classes, in the file's order. */
  readonly labels: readonly string[];
  /** The same classes with their colours and outputs. */
  readonly classes: readonly RuntimeClass[];
  /** The model the images are embedded with. */
  readonly model: ModelSpec;
  /** The class of the source's centre square. Rejects with a ClassifierError when the source cannot be read. */
  classify(source: ImageSource, options?: ClassifyOptions): Promise<Classification>;
  /** How readily an image is called unknown from now on: 0 never, 1 the most eager. */
  setUnknownSensitivity(sensitivity: number): void;
  /** Releases the model and the examples; the classifier cannot be used afterwards. */
  dispose(): void;
}

/**
 * Loads a classes file made by the app (or an ml5.js or label-map file) and the model it was made with.
 * Every failure is a ClassifierError whose message says what is wrong.
 */
export async function loadClassifier(classes: ClassesSource, options: LoadClassifierOptions = {}): Promise<TeachableClassifier> {
  const fetchFunc = options.fetch ?? fetch.bind(globalThis);
  const dataset = await readClasses(classes, fetchFunc);
  mark('classes-read');
  checkHasExamples(dataset);
  const spec = modelForClasses(dataset, options.model);
  await options.backendReady;
  mark('backend-ready');
  let embedder;
  try {
    embedder = await loadEmbedder(spec, {
      mirrorBase: options.modelBaseUrl ?? null,
      useCache: options.cache ?? false,
      onProgress: options.onProgress,
      fetchFunc,
    });
  } catch (error) {
    const message = error instanceof ModelLoadError ? error.message : `${spec.name} could not be loaded (${messageOf(error)}).`;
    throw new ClassifierError('model', message, { cause: error });
  }
  mark('model-loaded');
  let core: EmbeddingClassifier;
  try {
    core = EmbeddingClassifier.create(embedder, dataset, options, true, options.calibrateAfterFirstAnswer ?? false);
  } catch (error) {
    embedder.dispose();
    throw error;
  }
  mark('classes-stored');
  return browserClassifier(core, dataset);
}

/** Calibrates after the first answer; the examples were stored and checked when loading, so a failure here is a defect. */
function calibrate(core: EmbeddingClassifier): void {
  core.calibrate();
  mark('calibrated');
}

/** The phases of a load on the page's performance timeline (tm-classifier:<phase>), for the bench and the devtools. */
function mark(phase: string): void {
  performance.mark(`tm-classifier:${phase}`);
}

function browserClassifier(core: EmbeddingClassifier, dataset: Dataset): TeachableClassifier {
  const reader = new SquareReader();
  return {
    labels: core.labels,
    classes: dataset.classes.map((c, i) => ({ label: c.label, color: c.color ?? defaultColor(i + 1), output: c.output ?? NO_OUTPUT })),
    setUnknownSensitivity: (sensitivity) => core.setUnknownSensitivity(sensitivity),
    model: core.model,
    async classify(source, options = {}) {
      const mirror = options.mirror ?? source instanceof HTMLVideoElement;
      const result = await core.classifyRgba(reader.read(source, mirror).data);
      // In a task of its own, so that the answer is shown first.
      if (!core.calibrated) setTimeout(() => calibrate(core), 0);
      return result;
    },
    dispose: () => core.dispose(),
  };
}
