import type { Dataset } from '../dataset';
import { findModel, MODEL_CATALOG, type ModelSpec } from '../models/catalog';
import { ClassifierError } from './errors';

const known = () => MODEL_CATALOG.map((m) => m.id).join(', ');

/**
 * The model that must embed images for `dataset`'s examples to mean anything: the one the file names, checked
 * against `requested` when the caller asks for one. A file that does not say (ml5.js files, label maps) is matched by
 * its dimension when only one model has it.
 */
export function modelForClasses(dataset: Dataset, requested?: string): ModelSpec {
  const named = dataset.model === null ? null : findModel(dataset.model);
  if (dataset.model !== null && !named) {
    throw new ClassifierError('wrong-model', `The classes were made with the model "${dataset.model}", which this runtime does not have (it has ${known()}).`);
  }
  if (requested !== undefined) {
    const spec = findModel(requested);
    if (!spec) throw new ClassifierError('options', `There is no model "${requested}"; the models are ${known()}.`);
    if (named && named.id !== spec.id) {
      throw new ClassifierError(
        'wrong-model',
        `These classes were made with ${named.name} (${named.id}), not ${spec.name} (${spec.id}): examples of one ` +
          `model mean nothing to another. Load them with ${named.name}, or teach them again with ${spec.name}.`,
      );
    }
    return checkedDimension(dataset, spec);
  }
  if (named) return checkedDimension(dataset, named);
  const candidates = MODEL_CATALOG.filter((m) => m.embeddingDim === dataset.dimension);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new ClassifierError('wrong-model', `The classes hold examples of ${dataset.dimension} numbers, which none of the models makes (${known()}).`);
  }
  throw new ClassifierError(
    'wrong-model',
    `The classes file does not say which model made it, and ${candidates.map((m) => m.id).join(' and ')} both make ` +
      `${dataset.dimension} numbers: say which with the model option.`,
  );
}

function checkedDimension(dataset: Dataset, spec: ModelSpec): ModelSpec {
  if (dataset.dimension !== spec.embeddingDim) {
    throw new ClassifierError(
      'wrong-model',
      `The classes hold examples of ${dataset.dimension} numbers, but ${spec.name} makes ${spec.embeddingDim}: they were made with another model.`,
    );
  }
  return spec;
}
