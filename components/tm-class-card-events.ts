/* The details of the events a class card fires (see TmClassCard in tm-class-card.ts). */
import type { ClassOutput } from '../src/outputs/class-output';

export interface ClassEventDetail {
  readonly classId: string;
}

export interface ClassEnableDetail {
  readonly classId: string;
  readonly enabled: boolean;
}

export interface ClassImagesDetail {
  readonly classId: string;
  readonly files: readonly File[];
}

export interface ClassRenameDetail {
  readonly classId: string;
  /** The new label, trimmed and never blank. */
  readonly label: string;
}

export interface ClassOutputDetail {
  readonly classId: string;
  /** Never a sound: a picked sound file comes as class-output-sound, to be checked first. */
  readonly output: ClassOutput;
}

export interface ClassSoundDetail {
  readonly classId: string;
  readonly file: File;
}
