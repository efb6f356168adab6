import type * as tf from '@tensorflow/tfjs';
import { KnnClassifier, type KnnPrediction } from './classifier/knn';
import { DEFAULT_VOTE, type VoteOptions } from './classifier/vote';
import type { ModelId } from './models/catalog';
import type { Embedder, Pixels } from './models/embedder';

export interface ClassInfo {
  readonly id: string;
  readonly label: string;
}

export interface FrameResult {
  readonly prediction: KnnPrediction;
  /** The class this frame was added to, or null. */
  readonly recordedTo: string | null;
}

export const MAX_LABEL_LENGTH = 60;
export const THUMBNAILS_KEPT = 6;

/**
 * The app's state without any UI: the classes, their examples for each model, and the frame step
 * (embed, maybe record, classify). Examples live with the model that embedded them, so switching models
 * never mixes two networks' activations; switching back finds them again.
 * Fires `change` whenever classes, counts or thumbnails change.
 */
export class Teachable extends EventTarget {
  private classList: ClassInfo[] = [];
  private nextClassNumber = 1;
  private readonly classifiers = new Map<ModelId, KnnClassifier>();
  private readonly thumbnailsByKey = new Map<string, string[]>();
  private activeEmbedder: Embedder | null = null;
  voteOptions: VoteOptions = DEFAULT_VOTE;

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

  /** Makes `embedder` the one frames go through; examples recorded with other models stay with those models. */
  setEmbedder(embedder: Embedder | null): void {
    this.activeEmbedder = embedder;
    this.changed();
  }

  hasClass(id: string): boolean {
    return this.classList.some((c) => c.id === id);
  }

  addClass(label?: string): ClassInfo {
    const number = this.nextClassNumber++;
    const info = { id: `class-${number}`, label: cleanLabel(label ?? `Class ${number}`) || `Class ${number}` };
    this.classList = [...this.classList, info];
    this.changed();
    return info;
  }

  /** Renames a class; a blank label is refused (the old one stays) and long ones are cut. Returns the label kept. */
  renameClass(id: string, label: string): string {
    const info = this.requireClass(id);
    const clean = cleanLabel(label);
    if (!clean) return info.label;
    this.classList = this.classList.map((c) => (c.id === id ? { ...c, label: clean } : c));
    this.changed();
    return clean;
  }

  deleteClass(id: string): void {
    this.requireClass(id);
    for (const [modelId, classifier] of this.classifiers) {
      classifier.clearClass(id);
      this.thumbnailsByKey.delete(thumbKey(modelId, id));
    }
    this.classList = this.classList.filter((c) => c.id !== id);
    this.changed();
  }

  /** Removes a class's examples for the current model. */
  clearClass(id: string): void {
    this.requireClass(id);
    const modelId = this.activeEmbedder?.spec.id;
    if (!modelId) return;
    this.classifiers.get(modelId)?.clearClass(id);
    this.thumbnailsByKey.delete(thumbKey(modelId, id));
    this.changed();
  }

  /** Examples of `id` recorded with the current model. */
  exampleCount(id: string): number {
    const modelId = this.activeEmbedder?.spec.id;
    return (modelId && this.classifiers.get(modelId)?.exampleCount(id)) || 0;
  }

  /** Newest last. */
  thumbnails(id: string): readonly string[] {
    const modelId = this.activeEmbedder?.spec.id;
    return (modelId && this.thumbnailsByKey.get(thumbKey(modelId, id))) || [];
  }

  /** Examples kept for models other than the current one. */
  examplesWithOtherModels(): number {
    const current = this.activeEmbedder?.spec.id;
    let total = 0;
    for (const [modelId, classifier] of this.classifiers) if (modelId !== current) total += classifier.totalExamples;
    return total;
  }

  /**
   * Embeds one square frame, adds it to `recordTo` when given (and that class still exists), and classifies it.
   * @param thumbnail makes the thumbnail of this frame; only called when the frame is recorded.
   */
  async processFrame(pixels: Pixels, recordTo: string | null, thumbnail?: () => string): Promise<FrameResult> {
    const embedder = this.activeEmbedder;
    if (!embedder) throw new Error('No model is loaded yet.');
    const classifier = this.classifierFor(embedder.spec.id);
    const embedding: tf.Tensor1D = embedder.embed(pixels);
    try {
      const recordedTo = recordTo !== null && this.hasClass(recordTo) ? recordTo : null;
      if (recordedTo) {
        classifier.addExample(recordedTo, embedding);
        if (thumbnail) this.keepThumbnail(embedder.spec.id, recordedTo, thumbnail());
        this.changed();
      }
      const prediction = await classifier.predict(
        embedding,
        this.classList.map((c) => c.id),
        this.voteOptions,
      );
      return { prediction, recordedTo };
    } finally {
      embedding.dispose();
    }
  }

  dispose(): void {
    for (const classifier of this.classifiers.values()) classifier.dispose();
    this.classifiers.clear();
    this.thumbnailsByKey.clear();
  }

  private classifierFor(modelId: ModelId): KnnClassifier {
    let classifier = this.classifiers.get(modelId);
    if (!classifier) {
      classifier = new KnnClassifier();
      this.classifiers.set(modelId, classifier);
    }
    return classifier;
  }

  private keepThumbnail(modelId: ModelId, classId: string, url: string): void {
    const key = thumbKey(modelId, classId);
    const kept = [...(this.thumbnailsByKey.get(key) ?? []), url].slice(-THUMBNAILS_KEPT);
    this.thumbnailsByKey.set(key, kept);
  }

  private requireClass(id: string): ClassInfo {
    const info = this.classList.find((c) => c.id === id);
    if (!info) throw new Error(`There is no class ${id}.`);
    return info;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

function thumbKey(modelId: ModelId, classId: string): string {
  return `${modelId}\u0000${classId}`;
}

/** Labels are plain text on one line: control characters go, whitespace collapses, length is capped. */
export function cleanLabel(label: string): string {
  return label
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_LABEL_LENGTH)
    .replace(/[\ud800-\udbff]$/, '') // never half of an emoji
    .trimEnd();
}
