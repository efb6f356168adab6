/** Undoing one step of the undo history on the app's state: all or nothing, or a sentence saying why not. */
import type { ExamplesByModel } from './examples-by-model';
import type { ClassInfo, TeachableChange } from './teachable-types';
import type { UndoResult, UndoStep } from './undo-history';

/** The parts of Teachable an undo puts back. */
export interface UndoTarget {
  classes: readonly ClassInfo[];
  nextClassNumber: number;
  readonly examples: ExamplesByModel;
  /** Makes `examples` the current examples and returns the ones they replace (not disposed). */
  swapIn(examples: ExamplesByModel): ExamplesByModel;
  changed(change: TeachableChange): void;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Puts back what `step` took. A step that cannot be put back (its class is gone, memory ran out) changes nothing and
 * says why; the caller has taken it out of the history either way, except a 'state' step, whose examples the caller
 * releases when it is not undone.
 */
export function undoStep(step: UndoStep, target: UndoTarget): UndoResult {
  switch (step.kind) {
    case 'rows': {
      const info = target.classes.find((c) => c.id === step.classId);
      if (!info) return { undone: false, reason: `The class of those examples was deleted since, so they cannot be put back.` };
      try {
        target.examples.restoreRows(step.modelId, step.classId, step.taken);
      } catch (error) {
        return { undone: false, reason: `The examples could not be put back, and nothing changed: ${reason(error)}` };
      }
      target.changed({ kind: 'examples-rewritten', modelId: step.modelId, classId: step.classId });
      return { undone: true, label: step.label };
    }
    case 'class': {
      if (target.classes.some((c) => c.id === step.info.id)) return { undone: false, reason: `"${step.info.label}" is there already.` };
      try {
        target.examples.putClass(step.info.id, step.taken);
      } catch (error) {
        return { undone: false, reason: `"${step.info.label}" could not be put back, and nothing changed: ${reason(error)}` };
      }
      const classes = [...target.classes];
      classes.splice(Math.min(step.index, classes.length), 0, step.info);
      target.classes = classes;
      target.changed({ kind: 'classes' });
      for (const modelId of step.taken.keys()) target.changed({ kind: 'examples-rewritten', modelId, classId: step.info.id });
      return { undone: true, label: step.label };
    }
    case 'state': {
      target.swapIn(step.examples).dispose();
      target.classes = step.classes;
      // Class ids are never used twice, not even those of classes an undo removes.
      target.nextClassNumber = Math.max(target.nextClassNumber, step.nextClassNumber);
      target.changed({ kind: 'everything' });
      return { undone: true, label: step.label };
    }
  }
}
