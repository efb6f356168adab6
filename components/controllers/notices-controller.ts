import { html, type ReactiveControllerHost } from 'lit';

/** Notices shown at once at most; older ones give way (each was announced when it appeared). */
const MAX_NOTICES = 3;

/**
 * Passing problems, oldest first, each shown until dismissed: a new one never hides an older one, and the same one
 * twice is shown once.
 */
export class NoticesController {
  private shown: readonly string[] = [];

  constructor(private readonly host: ReactiveControllerHost) {}

  /** Shows `message` below any shown before it. */
  readonly add = (message: string): void => {
    if (this.shown.includes(message)) return;
    this.shown = [...this.shown, message].slice(-MAX_NOTICES);
    this.host.requestUpdate();
  };

  readonly dismiss = (message: string): void => {
    if (!this.shown.includes(message)) return;
    this.shown = this.shown.filter((m) => m !== message);
    this.host.requestUpdate();
  };

  /** Each notice, announced, with its button to dismiss it. */
  render() {
    return this.shown.map(
      (message) =>
        html`<p class="notice" role="status">
          ${message}<button class="quiet" @click=${() => this.dismiss(message)} aria-label="Dismiss message">×</button>
        </p>`,
    );
  }
}
