/**
 * The destructive actions that can be undone, newest last. Each step holds only what its action removed (the rows
 * taken out, a deleted class's examples, or the examples a "clear all" or an import replaced), so memory is bounded
 * by UNDO_STEPS steps and, beyond the newest step, by UNDO_BYTES.
 */
import type { ModelId } from '../models/catalog';
import type { ExamplesByModel, TakenClass, TakenExamples } from './examples-by-model';
import type { ClassInfo } from './teachable-types';

/** Steps kept: the last ten destructive actions can be undone. */
export const UNDO_STEPS = 10;
/** Bytes the kept steps may hold; older steps go first, the newest is always kept. */
export const UNDO_BYTES = 512 * 2 ** 20;

export type UndoStep =
  /** Examples deleted from a class, or a class cleared: the rows taken out, put back where they were. */
  | { readonly kind: 'rows'; readonly label: string; readonly modelId: ModelId; readonly classId: string; readonly taken: TakenExamples }
  /** A class deleted: its place in the list and its examples for every model. */
  | { readonly kind: 'class'; readonly label: string; readonly info: ClassInfo; readonly index: number; readonly taken: TakenClass }
  /**
   * Everything replaced ("clear all", an import that replaces): the classes and examples before it. `after` is the
   * edit count just after the action, so an undo knows whether anything done since would be lost.
   */
  | {
      readonly kind: 'state';
      readonly label: string;
      readonly classes: readonly ClassInfo[];
      readonly nextClassNumber: number;
      readonly examples: ExamplesByModel;
      readonly after: number;
    };

/** What `undo` says: what was undone, or why nothing was. */
export type UndoResult =
  | { readonly undone: true; readonly label: string }
  | { readonly undone: false; readonly reason: string };

/** Bytes a step holds: its vectors (f32) and thumbnails (UTF-16 strings). */
export function stepBytes(step: UndoStep): number {
  const strings = (urls: Iterable<string>) => [...urls].reduce((n, url) => n + 2 * url.length, 0);
  switch (step.kind) {
    case 'rows':
      return step.taken.vectors.byteLength + strings(step.taken.thumbnails.values());
    case 'class':
      return [...step.taken.values()].reduce((n, t) => n + t.vectors.byteLength + strings(t.thumbnails), 0);
    case 'state':
      return step.examples.memoryBytes;
  }
}

/** Releases what a step holds once it can no longer be undone. */
function release(step: UndoStep): void {
  if (step.kind === 'state') step.examples.dispose();
}

/** Fires `change` (an Event) whenever a step is added, taken out or forgotten. */
export class UndoHistory extends EventTarget {
  private steps: { readonly step: UndoStep; readonly bytes: number }[] = [];

  get size(): number {
    return this.steps.length;
  }

  /** The newest step, the one `pop` returns. */
  get latest(): UndoStep | null {
    return this.steps.at(-1)?.step ?? null;
  }

  /** Bytes the kept steps hold. */
  get bytes(): number {
    return this.steps.reduce((n, s) => n + s.bytes, 0);
  }

  push(step: UndoStep): void {
    this.steps.push({ step, bytes: stepBytes(step) });
    while (this.steps.length > UNDO_STEPS || (this.steps.length > 1 && this.bytes > UNDO_BYTES)) release(this.steps.shift()!.step);
    this.dispatchEvent(new Event('change'));
  }

  /** Takes the newest step out; the caller undoes it (and releases a 'state' step's examples if it does not). */
  pop(): UndoStep | null {
    const step = this.steps.pop()?.step ?? null;
    if (step) this.dispatchEvent(new Event('change'));
    return step;
  }

  /** Forgets every step (a restore from storage: nothing before it can be undone). */
  clear(): void {
    for (const { step } of this.steps) release(step);
    this.steps = [];
    this.dispatchEvent(new Event('change'));
  }
}
