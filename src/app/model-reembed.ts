/**
 * A model switch without loss: the classes that have examples with another model but none with the new one get
 * them again, by embedding the frames kept with those examples (their thumbnails) with the new model. Browser only
 * (it decodes images). Nothing changes until every frame is embedded; cancelled or failed, nothing has changed.
 */
import { DatasetError, type Dataset } from '../dataset';
import type { ModelId } from '../models/catalog';
import type { Embedder } from '../models/embedder';
import { reembedThumbnails, type ReembedProgress } from './reembed';
import type { Teachable } from './teachable';

/** What a re-embed for the loaded model would do. */
export interface ReembedPlan {
  /** The model whose examples' frames are embedded again: of the models with examples, the one with the most. */
  readonly fromModel: ModelId;
  readonly toModel: ModelId;
  /** The classes with examples for `fromModel` and none for `toModel`, in the class order. */
  readonly classes: readonly { readonly classId: string; readonly label: string; readonly examples: number; readonly frames: number }[];
  /** Examples of those classes with `fromModel`. */
  readonly examples: number;
  /** Of those, the ones with a frame kept, which are the examples the new model gets. */
  readonly frames: number;
}

/** The re-embed to offer for the loaded model, or null when there is nothing to carry over. */
export function planReembed(teachable: Teachable): ReembedPlan | null {
  const toModel = teachable.embedder?.spec.id;
  if (!toModel) return null;
  let best: { modelId: ModelId; total: number } | null = null;
  for (const { modelId } of teachable.modelsWithExamples()) {
    if (modelId === toModel) continue;
    const total = teachable.classes.reduce((sum, c) => sum + teachable.exampleCountFor(modelId, c.id), 0);
    if (!best || total > best.total) best = { modelId, total };
  }
  if (!best) return null;
  const fromModel = best.modelId;
  const classes = teachable.classes
    .filter((c) => teachable.exampleCountFor(fromModel, c.id) > 0 && teachable.exampleCountFor(toModel, c.id) === 0)
    .map((c) => ({
      classId: c.id,
      label: c.label,
      examples: teachable.exampleCountFor(fromModel, c.id),
      frames: Math.min(teachable.exampleCountFor(fromModel, c.id), teachable.keptThumbnails(fromModel, c.id).length),
    }));
  const frames = classes.reduce((sum, c) => sum + c.frames, 0);
  if (frames === 0) return null;
  return { fromModel, toModel, classes, examples: classes.reduce((sum, c) => sum + c.examples, 0), frames };
}

export interface ReembedOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReembedProgress) => void;
}

/**
 * Embeds the kept frames of `plan`'s classes with `embedder` (the loaded model) and adds them to those classes for
 * it, in one change at the end. Refuses (a DatasetError) when the classes or their examples changed meanwhile, when
 * another model was loaded, or when two classes share a name; aborted, it rejects with the reason. Returns the
 * examples added.
 */
export async function reembedForModel(teachable: Teachable, embedder: Embedder, plan: ReembedPlan, options: ReembedOptions = {}): Promise<number> {
  if (embedder.spec.id !== plan.toModel || teachable.embedder !== embedder) throw new DatasetError('another model was loaded meanwhile: nothing was changed');
  const wanted = new Set(plan.classes.map((c) => c.classId));
  const labels = teachable.classes.map((c) => c.label);
  const shared = labels.find((label, i) => labels.indexOf(label) !== i);
  if (shared !== undefined) throw new DatasetError(`two classes are called "${shared}": rename one, then re-embed`);
  // exportDataset takes the class list as it is when called: these ids are its classes' ids, in order.
  const ids = teachable.classes.map((c) => c.id);
  const all = await teachable.exportDataset({ modelId: plan.fromModel });
  const source: Dataset = {
    ...all,
    // The frames kept are the newest examples' (never more frames than examples).
    classes: all.classes.filter((_, i) => wanted.has(ids[i])).map((c) => ({ ...c, thumbnails: c.thumbnails.slice(-c.vectors.length / all.dimension) })),
  };
  const embedded = await reembedThumbnails(source, embedder, options.onProgress, options.signal);
  options.signal?.throwIfAborted();
  const changed = teachable.embedder !== embedder || plan.classes.some((c) => !teachable.hasClass(c.classId) || teachable.exampleCountFor(plan.toModel, c.classId) > 0);
  if (changed) throw new DatasetError('the classes or the model changed while the frames were embedded: nothing was changed; re-embed again');
  const result = await teachable.importDatasetInSteps(
    { ...embedded, classes: embedded.classes.filter((c) => c.vectors.length > 0) },
    { mode: 'merge', modelId: plan.toModel, signal: options.signal },
  );
  return result.examplesAdded;
}
