import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The question <tm-confirm-bar> asks in the page, one at a time: `ask` resolves with the answer, and a new question
 * (or the host leaving the page) answers the one pending with "no".
 */
export class ConfirmController implements ReactiveController {
  question = '';
  confirmLabel = '';
  private pending: ((confirmed: boolean) => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Aborting `signal` (the work it asks about was cancelled) answers "no" and takes the question away. */
  ask(question: string, confirmLabel: string, signal?: AbortSignal): Promise<boolean> {
    this.answer(false);
    this.question = question;
    this.confirmLabel = confirmLabel;
    this.host.requestUpdate();
    const answered = new Promise<boolean>((resolve) => (this.pending = resolve));
    const pending = this.pending;
    signal?.addEventListener('abort', () => this.pending === pending && this.answer(false), { once: true });
    return answered;
  }

  answer(confirmed: boolean): void {
    const pending = this.pending;
    this.pending = null;
    if (this.question) {
      this.question = '';
      this.host.requestUpdate();
    }
    pending?.(confirmed);
  }

  hostDisconnected(): void {
    this.answer(false);
  }
}
