import type { ReactiveControllerHost } from 'lit';
import { DuplicateLabelError, type Teachable } from '../../src/app/teachable';
import type { ClassOutput } from '../../src/outputs/class-output';
import type { HostEventHandlers } from './host-events-controller';
import type { RecordingController } from './recording-controller';

export interface ClassActionsOptions {
  readonly recording: RecordingController;
  /** Shows a passing problem (a name another class has). */
  readonly addNotice: (message: string) => void;
  /** Opens the grid of a class's examples. */
  readonly openExamples: (classId: string) => void;
  readonly addImages: (classId: string, files: readonly File[]) => void;
  /** A chosen output that is not a sound file. */
  readonly setOutput: (classId: string, output: ClassOutput) => void;
  /** A picked sound file, to be checked before it becomes the output. */
  readonly pickSound: (classId: string, file: File) => void;
}

/** The events of the class cards (tm-class-card, tm-record-button), which bubble out of the class list. */
export type ClassEvent =
  | 'tm-record-start'
  | 'tm-record-end'
  | 'tm-record-countdown'
  | 'tm-record-cancel'
  | 'tm-class-rename'
  | 'tm-class-move'
  | 'tm-class-enable'
  | 'tm-class-clear'
  | 'tm-class-delete'
  | 'tm-class-examples'
  | 'tm-class-add-images'
  | 'tm-class-output-change'
  | 'tm-class-output-sound';

/**
 * What the class cards ask for, done to the classes: recording (by the recording controller), rename (a name another
 * class has is refused with a notice, and the card shows the old one again), move, turn off, clear, delete (asking
 * first when the class has examples, and ending its recording), open its examples, add images, and its output.
 */
export function classActions(teachable: Teachable, options: ClassActionsOptions): HostEventHandlers<ClassEvent> {
  const { recording } = options;
  return {
    'tm-record-start': recording.onStart,
    'tm-record-end': recording.onEnd,
    'tm-record-countdown': recording.onCountdown,
    'tm-record-cancel': recording.onCancel,
    'tm-class-rename': (e) => {
      try {
        teachable.renameClass(e.detail.classId, e.detail.label);
      } catch (error) {
        if (!(error instanceof DuplicateLabelError)) throw error;
        options.addNotice(error.message);
        // The card that fired (the event reaches the app from inside the class list).
        (e.composedPath()[0] as Partial<ReactiveControllerHost>).requestUpdate?.();
      }
    },
    'tm-class-move': (e) => teachable.moveClass(e.detail.classId, e.detail.index),
    'tm-class-enable': (e) => teachable.setClassEnabled(e.detail.classId, e.detail.enabled),
    'tm-class-clear': (e) => teachable.clearClass(e.detail.classId),
    'tm-class-delete': (e) => {
      const { classId } = e.detail;
      const info = teachable.classes.find((c) => c.id === classId);
      if (!info) return;
      const count = teachable.exampleCount(classId);
      if (count > 0 && !confirm(`Delete "${info.label}" and its ${count} examples?`)) return;
      recording.classDeleted(classId, info.label);
      teachable.deleteClass(classId);
    },
    'tm-class-examples': (e) => options.openExamples(e.detail.classId),
    'tm-class-add-images': (e) => options.addImages(e.detail.classId, e.detail.files),
    'tm-class-output-change': (e) => options.setOutput(e.detail.classId, e.detail.output),
    'tm-class-output-sound': (e) => options.pickSound(e.detail.classId, e.detail.file),
  };
}
