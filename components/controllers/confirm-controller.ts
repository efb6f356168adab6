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

  ask(question: string, confirmLabel: string): Promise<boolean> {
    this.answer(false);
    this.question = question;
    this.confirmLabel = confirmLabel;
    this.host.requestUpdate();
    return new Promise((resolve) => (this.pending = resolve));
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
