import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ReembedProgress } from '../src/app/reembed';
import { reembedOfferStyles } from './tm-reembed-offer.styles';

/**
 * After a model switch: the offer to re-embed the examples recorded with another model, its progress with Cancel,
 * and how it ended. Shows nothing when there is nothing to say.
 *
 * @fires tm-reembed-start - "Re-embed" was pressed.
 * @fires tm-reembed-cancel - "Cancel" was pressed during a re-embed.
 */
@customElement('tm-reembed-offer')
export class TmReembedOffer extends LitElement {
  static override styles = reembedOfferStyles;

  /** The offer in words, or '' for none. */
  @property() offer = '';
  /** The re-embed under way, or null. */
  @property({ attribute: false }) progress: ReembedProgress | null = null;
  /** How the last one ended, or ''. */
  @property() message = '';
  @property({ type: Boolean, attribute: 'message-is-error' }) messageIsError = false;

  protected override render() {
    const { progress } = this;
    return html`${progress
        ? html`<div class="row">
            <label
              >Re-embedding ${progress.done} of ${progress.total} frames…
              <progress max=${progress.total} .value=${progress.done}></progress
            ></label>
            <button type="button" @click=${() => this.fire('tm-reembed-cancel')}>Cancel</button>
          </div>`
        : this.offer
          ? html`<div class="row">
              <p>${this.offer}</p>
              <button type="button" class="primary" @click=${() => this.fire('tm-reembed-start')}>Re-embed</button>
            </div>`
          : null}
      <p class=${this.messageIsError ? 'error' : 'done'} role=${this.messageIsError ? 'alert' : 'status'}>${this.message}</p>`;
  }

  private fire(type: 'tm-reembed-start' | 'tm-reembed-cancel'): void {
    this.dispatchEvent(new CustomEvent<Record<string, never>>(type, { detail: {}, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-reembed-offer': TmReembedOffer;
  }
  interface HTMLElementEventMap {
    'tm-reembed-start': CustomEvent<Record<string, never>>;
    'tm-reembed-cancel': CustomEvent<Record<string, never>>;
  }
}
