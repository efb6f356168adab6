import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { actionToastStyles } from './tm-action-toast.styles';

/**
 * A message under the class list after an action, with at most one button that acts on it ("Undo", "Delete the
 * last 2 seconds"). The message is announced to screen readers (a polite live region that stays in the page).
 *
 * @fires tm-toast-action - the button was pressed.
 * @fires tm-toast-dismiss - the message was dismissed.
 */
@customElement('tm-action-toast')
export class TmActionToast extends LitElement {
  static override styles = actionToastStyles;

  /** Nothing is shown while empty. */
  @property() message = '';
  /** The button's label; no button while empty. */
  @property({ attribute: 'action-label' }) actionLabel = '';

  protected override render() {
    // The live region is always in the page, so that a message put into it is announced.
    return html`<div class="bar" role="status" aria-live="polite" ?hidden=${!this.message}>
      <span class="message">${this.message}</span>
      ${this.actionLabel
        ? html`<button class="primary" @click=${() => this.fire('tm-toast-action')}>${this.actionLabel}</button>`
        : null}
      ${this.message ? html`<button aria-label="Dismiss message" @click=${() => this.fire('tm-toast-dismiss')}>×</button>` : null}
    </div>`;
  }

  private fire(type: 'tm-toast-action' | 'tm-toast-dismiss'): void {
    this.dispatchEvent(new CustomEvent<void>(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-action-toast': TmActionToast;
  }
  interface HTMLElementEventMap {
    'tm-toast-action': CustomEvent<void>;
    'tm-toast-dismiss': CustomEvent<void>;
  }
}
