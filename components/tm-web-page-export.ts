import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { buttonStyles, controlStyles } from './control-styles';

/**
 * The "Export as a web page" button: a zip of a page that recognises the classes with the camera, offline. It only
 * reports the press; the app makes the zip and says how it went in its status line.
 *
 * @fires tm-web-page-export - the button was pressed.
 */
@customElement('tm-web-page-export')
export class TmWebPageExport extends LitElement {
  static override styles = [
    buttonStyles,
    controlStyles,
    css`
      :host {
        display: block;
      }
      p {
        margin: 0.25rem 0 0;
        font-size: 0.875rem;
      }
    `,
  ];

  /** Nothing to export yet. */
  @property({ type: Boolean }) empty = true;
  /** A page is being made. */
  @property({ type: Boolean }) busy = false;

  override render() {
    return html`<button
        type="button"
        aria-describedby="hint"
        ?disabled=${this.empty || this.busy}
        @click=${() => this.dispatchEvent(new CustomEvent('tm-web-page-export', { bubbles: true, composed: true }))}
      >
        ${this.busy ? 'Making the page…' : 'Export as a web page'}
      </button>
      <p id="hint">A zip: unzip it into any web host for a page that shows your classes on the camera, offline.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-web-page-export': TmWebPageExport;
  }
  interface HTMLElementEventMap {
    'tm-web-page-export': CustomEvent<void>;
  }
}
