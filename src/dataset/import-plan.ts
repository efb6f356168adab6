/**
 * Decides what an import does to the class list, without touching anything: the caller builds the new
 * examples from the plan and only then swaps it in, so a failed import leaves everything as it was.
 */
import { defaultColor } from '../app/labels';
import { DatasetError } from './errors';
import { DATASET_LIMITS } from './limits';
import type { ClassOutput } from '../outputs/class-output';
import type { Dataset } from './types';

export type ImportMode = 'replace' | 'merge';

export interface PlannedClass {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly output?: ClassOutput;
}

export interface ImportPlan {
  /** The whole class list after the import, in order. */
  readonly classes: readonly PlannedClass[];
  readonly nextClassNumber: number;
  /** For each class of the file, in file order: the class its examples go to, and whether it existed. */
  readonly targets: readonly { readonly classId: string; readonly existed: boolean }[];
}

/**
 * replace: the file's classes become the class list (new ids, the file's labels, colours and outputs).
 * merge: a file class whose label matches an existing class adds its examples to it (the existing label,
 * colour and output stay); the others are added after the existing classes.
 */
export function planImport(
  current: readonly PlannedClass[],
  nextClassNumber: number,
  dataset: Dataset,
  mode: ImportMode,
): ImportPlan {
  let next = nextClassNumber;
  const fresh = ({ label, color, output }: Dataset['classes'][number]): PlannedClass => {
    const number = next++;
    return { id: `class-${number}`, label, color: color ?? defaultColor(number), ...(output ? { output } : {}) };
  };
  if (mode === 'replace') {
    const classes = dataset.classes.map(fresh);
    return { classes, nextClassNumber: next, targets: classes.map((c) => ({ classId: c.id, existed: false })) };
  }
  const byLabel = new Map(current.map((c) => [c.label, c]));
  const added: PlannedClass[] = [];
  const targets = dataset.classes.map((c) => {
    const existing = byLabel.get(c.label);
    if (existing) return { classId: existing.id, existed: true };
    const info = fresh(c);
    added.push(info);
    return { classId: info.id, existed: false };
  });
  const total = current.length + added.length;
  if (added.length && total > DATASET_LIMITS.maxClasses) {
    throw new DatasetError(
      `merging would make ${total} classes (${current.length} now and ${added.length} new); the limit is ${DATASET_LIMITS.maxClasses}`,
    );
  }
  return { classes: [...current, ...added], nextClassNumber: next, targets };
}
