import { DatasetError, planImport, type Dataset, type ImportPlan } from '../dataset';
import type { ModelId } from '../models/catalog';
import { nextTask } from '../platform/next-task';
import { ExampleClasses } from './example-classes';
import { ExamplesByModel, type ModelExamples, type StepOptions } from './examples-by-model';
import { skipPresent, type ImportPreview } from './import-preview';
import type { ClassInfo, ImportOptions, ImportResult } from './teachable-types';

/** Teachable's imports and exports of whole datasets, all or nothing, over its classes and examples. */
export abstract class TeachableIO extends ExampleClasses {
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
    const { modelId, plan, examples, duplicates } = this.prepareImport(dataset, options);
    const before = { classes: this.classList, nextClassNumber: this.nextClassNumber };
    if (options.mode === 'replace') {
      const replaced = this.replaceExamples(ExamplesByModel.build(new Map([[modelId, examples]])));
      return this.commitReplacingImport(examples, modelId, plan, { ...before, examples: replaced });
    }
    this.examples.append(modelId, examples);
    return this.commitImport(examples, modelId, plan, duplicates);
  }

  /**
   * As importDataset, but the new examples are stored in steps (ExamplesByModel.buildInSteps), the page getting a
   * turn between them, and swapped in at the end with their space fitted. Aborted (options.signal) or failed,
   * nothing has changed. A merge refuses to finish if the classes or examples changed meanwhile.
   */
  async importDatasetInSteps(dataset: Dataset, options: ImportOptions & StepOptions): Promise<ImportResult> {
    // A merge looks for the examples already present in its own copy of them, taken a class a task below.
    const prepared = this.prepareImport(dataset, options, options.mode !== 'merge');
    const { modelId, plan } = prepared;
    let { examples, duplicates } = prepared;
    const order = plan.classes.map((c) => c.id);
    let byModel: ReadonlyMap<ModelId, ModelExamples> = new Map([[modelId, examples]]);
    const version = this.examplesVersion;
    const classList = this.classList;
    if (options.mode === 'merge') {
      const merged = await this.examples.snapshotInSteps();
      const current = merged.get(modelId) ?? { dimension: dataset.dimension, vectors: new Map(), thumbnails: new Map() };
      ({ examples, duplicates } = skipPresent(examples, plan, (classId) => current.vectors.get(classId) ?? new Float32Array(0)));
      for (const [classId, rows] of examples.vectors) {
        current.vectors.set(classId, concatRows(current.vectors.get(classId), rows));
        await nextTask();
      }
      examples.thumbnails.forEach((urls, classId) => current.thumbnails.set(classId, [...(current.thumbnails.get(classId) ?? []), ...urls]));
      merged.set(modelId, current);
      byModel = merged;
    }
    const built = await ExamplesByModel.buildInSteps(byModel, order, options);
    if (options.mode === 'merge' && (this.examplesVersion !== version || this.classList !== classList)) {
      built.dispose();
      throw new DatasetError('the classes changed while the file was being added: nothing was imported; import it again');
    }
    if (options.mode === 'replace') {
      const replaced = this.replaceExamples(built);
      return this.commitReplacingImport(examples, modelId, plan, { classes: this.classList, nextClassNumber: this.nextClassNumber, examples: replaced });
    }
    this.swapExamples(built);
    return this.commitImport(examples, modelId, plan, duplicates);
  }

  /** commitImport for an import that replaced everything, which can be undone. */
  private commitReplacingImport(
    examples: ModelExamples,
    modelId: ModelId,
    plan: ImportPlan,
    before: { classes: readonly ClassInfo[]; nextClassNumber: number; examples: ExamplesByModel },
  ): ImportResult {
    const result = this.commitImport(examples, modelId, plan, 0);
    this.history.push({ kind: 'state', label: 'the import that replaced your classes', ...before, after: this.edits });
    return result;
  }

  /**
   * What importing `dataset` would do, for the page to show before it does it; the same checks as the import (a
   * DatasetError says what is wrong), and nothing changes.
   */
  previewImport(dataset: Dataset, options: ImportOptions): ImportPreview {
    const { modelId, plan, examples, duplicates } = this.prepareImport(dataset, options);
    let before = 0;
    for (const { modelId: model } of this.examples.modelsWithExamples()) for (const c of this.classList) before += this.examples.count(model, c.id);
    const fileExamples = [...examples.vectors.values()].reduce((n, rows) => n + rows.length / dataset.dimension, duplicates);
    return {
      mode: options.mode,
      modelId,
      before: { classes: this.classList.length, examples: before },
      file: { classes: dataset.classes.length, examples: fileExamples },
      newClasses: plan.targets.filter((t) => !t.existed).length,
      matchedClasses: plan.targets.filter((t) => t.existed).length,
      duplicates,
    };
  }

  /**
   * Checks an import and plans it; nothing changes. An "add" leaves out the examples already in their class, unless
   * `skipPresentRows` is false (the caller does that itself).
   */
  private prepareImport(dataset: Dataset, options: ImportOptions, skipPresentRows = true): { modelId: ModelId; plan: ImportPlan; examples: ModelExamples; duplicates: number } {
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
    if (options.mode === 'replace' || !skipPresentRows) return { modelId, plan, examples, duplicates: 0 };
    return { modelId, plan, ...skipPresent(examples, plan, (classId) => this.examples.readNow(modelId, classId)) };
  }

  /** The class list of an import whose examples are in: nothing here can fail. */
  private commitImport(examples: ModelExamples, modelId: ModelId, plan: ImportPlan, duplicates: number): ImportResult {
    this.classList = [...plan.classes];
    this.nextClassNumber = plan.nextClassNumber;
    this.changed({ kind: 'everything' });
    return {
      modelId,
      classesAdded: plan.targets.filter((t) => !t.existed).length,
      classesMerged: plan.targets.filter((t) => t.existed).length,
      examplesAdded: [...examples.vectors.values()].reduce((sum, rows) => sum + rows.length / examples.dimension, 0),
      duplicatesSkipped: duplicates,
    };
  }
}

function concatRows(before: Float32Array | undefined, after: Float32Array): Float32Array {
  if (!before?.length) return after;
  const rows = new Float32Array(before.length + after.length);
  rows.set(before);
  rows.set(after, before.length);
  return rows;
}
