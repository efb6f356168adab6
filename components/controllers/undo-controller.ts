import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Teachable } from '../../src/app/teachable';
import type { UndoStep } from '../../src/app/undo-history';

/** How much of a recording "Delete the last 2 seconds" deletes. */
export const RECENT_MS = 2000;

export interface UndoControllerOptions {
  /** Asks a question in the page (ConfirmController.ask). */
  readonly ask: (question: string, confirmLabel: string) => Promise<boolean>;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Ctrl+Z (Cmd+Z) belongs to a text field while one has the focus: there it undoes typing. */
function inTextField(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button', 'file'].includes(target.type));
}

/**
 * The toast after each destructive action, with its "Undo", and Ctrl+Z / Cmd+Z anywhere but in a text field; after a
 * recording, the toast offers "Delete the last 2 seconds" instead. Each new step of the undo history is shown once.
 */
export class UndoController implements ReactiveController {
  message = '';
  actionLabel = '';
  private action: (() => void) | null = null;
  private readonly shown = new WeakSet<UndoStep>();
  private recording: { readonly classId: string; readonly countBefore: number } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly options: UndoControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.teachable.history.addEventListener('change', this.onHistoryChange);
    window.addEventListener('keydown', this.onKeydown);
  }

  hostDisconnected(): void {
    this.teachable.history.removeEventListener('change', this.onHistoryChange);
    window.removeEventListener('keydown', this.onKeydown);
  }

  /** Undoes the newest step; one that would lose later changes is asked about first. */
  async undo(): Promise<void> {
    let result = this.teachable.undo();
    if (!result.undone && result.wouldDiscard && (await this.options.ask(`${result.reason} Undo it anyway?`, 'Undo anyway'))) {
      result = this.teachable.undo({ discardLater: true });
    }
    const more = this.teachable.history.size > 0;
    this.show(result.undone ? `Undone: ${result.label}.` : result.reason, more ? 'Undo' : '', more ? () => void this.undo() : null);
  }

  /** The toast's button was pressed. */
  act(): void {
    this.action?.();
  }

  dismiss(): void {
    this.show('', '', null);
  }

  recordingStarted(classId: string): void {
    this.recording = { classId, countBefore: this.teachable.exampleCount(classId) };
  }

  /** Says what the recording added, offering to delete its last seconds. */
  recordingEnded(classId: string): void {
    const recording = this.recording;
    this.recording = null;
    const info = this.teachable.classes.find((c) => c.id === classId);
    if (!info || recording?.classId !== classId) return;
    const added = this.teachable.exampleCount(classId) - recording.countBefore;
    // Examples recorded before this hold are never among "the last 2 seconds", however recent.
    if (added <= 0) return;
    this.show(`Recorded ${added} example${added === 1 ? '' : 's'} of "${info.label}".`, `Delete the last ${RECENT_MS / 1000} seconds`, () => {
      const deleted = this.teachable.deleteRecentExamples(classId, RECENT_MS, recording.countBefore);
      if (deleted === 0) this.show(`"${info.label}" changed since that recording: nothing was deleted.`, '', null);
    });
  }

  private show(message: string, actionLabel: string, action: (() => void) | null): void {
    this.message = message;
    this.actionLabel = actionLabel;
    this.action = action;
    this.host.requestUpdate();
  }

  private readonly onHistoryChange = () => {
    const step = this.teachable.history.latest;
    if (!step || this.shown.has(step)) return;
    this.shown.add(step);
    this.show(`${capitalised(step.label)}: done.`, 'Undo', () => void this.undo());
  };

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey || inTextField(event)) return;
    event.preventDefault();
    void this.undo();
  };
}
