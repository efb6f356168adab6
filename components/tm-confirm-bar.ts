import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { actionToastStyles } from './tm-action-toast.styles';

export interface ConfirmAnswerDetail {
  readonly confirmed: boolean;
}

/**
 * A question asked in the page before an action that cannot be taken back otherwise (an import, an undo that would
 * lose later changes): the question, a button to go ahead and one to cancel. It takes the focus when it appears,
 * and Escape cancels.
 *
 * @fires tm-confirm-answer - ConfirmAnswerDetail: which button was pressed.
 */
@customElement('tm-confirm-bar')
export class TmConfirmBar extends LitElement {
  static override styles = actionToastStyles;

  /** Nothing is shown while empty. */
  @property() question = '';
  @property({ attribute: 'confirm-label' }) confirmLabel = 'Go ahead';

  @query('button.primary') private confirmButton!: HTMLButtonElement | null;

  protected override render() {
    if (!this.question) return null;
    return html`<div class="bar" role="alertdialog" aria-modal="false" aria-labelledby="question" @keydown=${this.onKeydown}>
      <span class="message" id="question">${this.question}</span>
      <button class="primary" @click=${() => this.answer(true)}>${this.confirmLabel}</button>
      <button @click=${() => this.answer(false)}>Cancel</button>
    </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('question') && this.question) this.confirmButton?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.answer(false);
  }

  private answer(confirmed: boolean): void {
    this.dispatchEvent(new CustomEvent<ConfirmAnswerDetail>('tm-confirm-answer', { detail: { confirmed }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-confirm-bar': TmConfirmBar;
  }
  interface HTMLElementEventMap {
    'tm-confirm-answer': CustomEvent<ConfirmAnswerDetail>;
  }
}
