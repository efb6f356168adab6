/** What an import will do, said before it happens, and the skipping of examples an "add" finds already present. */
import type { ImportMode, ImportPlan } from '../dataset';
import type { ModelId } from '../models/catalog';
import { newRows } from './example-rows';
import type { ModelExamples } from './examples-by-model';

export interface ImportPreview {
  readonly mode: ImportMode;
  readonly modelId: ModelId;
  /** The classes and examples (of every model) there are now. */
  readonly before: { readonly classes: number; readonly examples: number };
  /** The file's classes and examples. */
  readonly file: { readonly classes: number; readonly examples: number };
  /** "add": the file's classes that become new classes, and those whose label matches a class here. */
  readonly newClasses: number;
  readonly matchedClasses: number;
  /** "add": the file's examples already in the class they would go to (identical vectors), which are skipped. */
  readonly duplicates: number;
}

const plural = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : one.endsWith('s') ? 'es' : 's'}`;
const classesText = (classes: number, examples: number) => `${plural(classes, 'class')} (${plural(examples, 'example')})`;

/** The preview as a sentence: "Replace your 3 classes (92 examples) with 4 classes (120 examples)." */
export function describeImport(p: ImportPreview): string {
  if (p.mode === 'replace') {
    const yours = p.before.classes ? `your ${classesText(p.before.classes, p.before.examples)}` : 'your classes';
    return `Replace ${yours} with ${classesText(p.file.classes, p.file.examples)}.`;
  }
  const where = [p.newClasses ? `${plural(p.newClasses, 'new class')}` : '', p.matchedClasses ? `${plural(p.matchedClasses, 'class')} of the same name` : '']
    .filter(Boolean)
    .join(' and ');
  const added = p.file.examples - p.duplicates;
  const skipped = p.duplicates ? ` ${plural(p.duplicates, 'example')} already here will be skipped.` : '';
  return `Add ${classesText(p.file.classes, added)} to yours: ${where}.${skipped}`;
}

/**
 * `examples` without the rows already present in their target class (read with `present`), each class keeping the
 * thumbnails of its kept rows (a class's thumbnails belong to its newest rows). Only classes that existed are read.
 */
export function skipPresent(
  examples: ModelExamples,
  plan: ImportPlan,
  present: (classId: string) => Float32Array,
): { examples: ModelExamples; duplicates: number } {
  let duplicates = 0;
  const vectors = new Map(examples.vectors);
  const thumbnails = new Map(examples.thumbnails);
  for (const { classId, existed } of plan.targets) {
    const incoming = examples.vectors.get(classId);
    if (!existed || !incoming?.length) continue;
    const rows = incoming.length / examples.dimension;
    const { vectors: kept, kept: keptRows } = newRows(present(classId), incoming, examples.dimension);
    if (keptRows.length === rows) continue;
    duplicates += rows - keptRows.length;
    vectors.set(classId, kept);
    const urls = examples.thumbnails.get(classId) ?? [];
    const firstThumbRow = rows - urls.length;
    const keptSet = new Set(keptRows);
    thumbnails.set(classId, urls.filter((_, i) => keptSet.has(firstThumbRow + i)));
  }
  return { examples: { dimension: examples.dimension, vectors, thumbnails }, duplicates };
}
