/** The classes: their ids, labels, colours and outputs, in their order, and the `change` events their edits fire. */
import { NO_OUTPUT, type ClassOutput } from '../outputs/class-output';
import { cleanLabel, defaultColor, isColor } from './labels';
import type { ClassInfo, TeachableChange } from './teachable-types';

/**
 * The class list Teachable keeps. Fires `change` (a CustomEvent whose detail is a TeachableChange) on every edit.
 * Class ids are `class-<n>`; n is never reused.
 */
export class ClassList extends EventTarget {
  protected classList: ClassInfo[] = [];
  protected nextClassNumber = 1;

  get classes(): readonly ClassInfo[] {
    return this.classList;
  }

  /** The classes that take part in predictions: all but those turned off (setClassEnabled), in order. */
  get enabledClasses(): readonly ClassInfo[] {
    return this.classList.filter((c) => !c.disabled);
  }

  hasClass(id: string): boolean {
    return this.classList.some((c) => c.id === id);
  }

  /**
   * Adds a class at the end. Unnamed, it is "Class <n>" with the lowest n no class is named after (so "Clear all"
   * starts again at "Class 1"), in that number's colour; its id takes the next number, which is never reused.
   */
  addClass(label?: string): ClassInfo {
    const number = this.nextClassNumber++;
    const named = this.lowestFreeNumber();
    const info = {
      id: `class-${number}`,
      label: cleanLabel(label ?? `Class ${named}`) || `Class ${named}`,
      color: defaultColor(label === undefined ? named : number),
    };
    this.classList = [...this.classList, info];
    this.changed({ kind: 'classes' });
    return info;
  }

  /**
   * Renames a class; a blank label is refused (the old one stays) and long ones are cut. Returns the label kept.
   * A label another class has (ignoring case) is refused with a DuplicateLabelError, nothing changed.
   */
  renameClass(id: string, label: string): string {
    const info = this.requireClass(id);
    const clean = cleanLabel(label);
    if (!clean) return info.label;
    const other = this.classWithLabel(clean);
    if (other && other.id !== id) throw new DuplicateLabelError(clean);
    this.updateClass(id, { label: clean });
    return clean;
  }

  /** The class called `label`, ignoring case, if any. */
  classWithLabel(label: string): ClassInfo | undefined {
    const wanted = label.toLocaleLowerCase();
    return this.classList.find((c) => c.label.toLocaleLowerCase() === wanted);
  }

  /**
   * Turns a class off (it keeps its examples but takes no part in the vote, the dense head, its evaluation or the
   * "none of these" calibration) or on again.
   */
  setClassEnabled(id: string, enabled: boolean): void {
    const info = this.requireClass(id);
    if (enabled === !info.disabled) return;
    this.classList = this.classList.map((c) => (c.id === id ? withEnabled(c, enabled) : c));
    this.changed({ kind: 'classes' });
  }

  /** @param color `#rrggbb` */
  setClassColor(id: string, color: string): void {
    this.requireClass(id);
    const lower = color.toLowerCase();
    if (!isColor(lower)) throw new RangeError(`A colour looks like "#1a2b3c", not ${JSON.stringify(color)}.`);
    this.updateClass(id, { color: lower });
  }

  /** What the class does when it becomes the stable top class (checked with parseClassOutput before it gets here). */
  setClassOutput(id: string, output: ClassOutput): void {
    this.requireClass(id);
    this.updateClass(id, { output });
  }

  /** The class's output, none when it has not chosen one. */
  classOutput(id: string): ClassOutput {
    return this.classList.find((c) => c.id === id)?.output ?? NO_OUTPUT;
  }

  /** Moves a class to position `index` (clamped) of the list. */
  moveClass(id: string, index: number): void {
    const info = this.requireClass(id);
    const rest = this.classList.filter((c) => c.id !== id);
    const at = Math.max(0, Math.min(rest.length, Math.trunc(index)));
    rest.splice(at, 0, info);
    this.classList = rest;
    this.changed({ kind: 'classes' });
  }

  protected updateClass(id: string, change: Partial<Omit<ClassInfo, 'id'>>): void {
    this.classList = this.classList.map((c) => (c.id === id ? { ...c, ...change } : c));
    this.changed({ kind: 'classes' });
  }

  protected requireClass(id: string): ClassInfo {
    const info = this.classList.find((c) => c.id === id);
    if (!info) throw new Error(`There is no class ${id}.`);
    return info;
  }

  private lowestFreeNumber(): number {
    const taken = new Set(this.classList.map((c) => c.label));
    let n = 1;
    while (taken.has(`Class ${n}`)) n++;
    return n;
  }

  protected changed(detail: TeachableChange): void {
    this.dispatchEvent(new CustomEvent<TeachableChange>('change', { detail }));
  }
}

/** A label refused because another class has it. */
export class DuplicateLabelError extends RangeError {
  constructor(readonly label: string) {
    super(`There is already a class called "${label}": pick another name.`);
    this.name = 'DuplicateLabelError';
  }
}

function withEnabled(info: ClassInfo, enabled: boolean): ClassInfo {
  if (!enabled) return { ...info, disabled: true };
  // Enabled classes carry no `disabled` key, as they were saved before the setting existed.
  const rest: { -readonly [K in keyof ClassInfo]: ClassInfo[K] } = { ...info };
  delete rest.disabled;
  return rest;
}
