import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DEFAULT_UNKNOWN_SENSITIVITY } from '../src/classifier/knn/unknown';
import { controlStyles, visuallyHiddenStyles } from './control-styles';

export interface UnknownSensitivityDetail {
  /** 0 (never unknown) to 1. */
  readonly sensitivity: number;
}

/**
 * The one "Say unknown" setting: how far from every example a frame must be to be called "none of your classes".
 * It judges the frame, not a classifier's vote, so it governs the k-NN and the dense head alike.
 *
 * @fires tm-unknown-sensitivity-change - CustomEvent<UnknownSensitivityDetail>, when the user moves the slider.
 */
@customElement('tm-unknown-control')
export class TmUnknownControl extends LitElement {
  static override styles = [
    controlStyles,
    visuallyHiddenStyles,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }
      /* In the phone's preview strip: smaller, so the strip stays short. */
      @container (max-width: 16rem) {
        label {
          gap: 0 0.4rem;
          font-size: var(--tm-text-sm, 0.875rem);
        }
      }
      label {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      input {
        flex: 1 1 6rem;
        /* Not the range input's own minimum width: in the phone's strip the slider and its value share a line. */
        min-width: 4rem;
        max-width: 12rem;
        accent-color: var(--tm-accent, #0969da);
      }
      .value {
        min-width: 3em;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** 0 to 1. */
  @property({ type: Number }) sensitivity = DEFAULT_UNKNOWN_SENSITIVITY;

  protected override render() {
    const percent = Math.round(this.sensitivity * 100);
    const shown = percent === 0 ? 'never' : `${percent}%`;
    return html`<label
        >Say “unknown”
        <input
          type="range"
          min="0"
          max="100"
          step="5"
          .value=${String(percent)}
          aria-valuetext=${shown}
          aria-describedby="help"
          @change=${this.onChange}
        />
        <span class="value" aria-hidden="true">${shown}</span></label
      >
      <span id="help" class="visually-hidden">
        Higher says unknown more readily when the camera shows none of your classes; 0 never does.
      </span>`;
  }

  private onChange(event: Event): void {
    const sensitivity = Number((event.target as HTMLInputElement).value) / 100;
    this.dispatchEvent(
      new CustomEvent<UnknownSensitivityDetail>('tm-unknown-sensitivity-change', { detail: { sensitivity }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-unknown-control': TmUnknownControl;
  }
  interface HTMLElementEventMap {
    'tm-unknown-sensitivity-change': CustomEvent<UnknownSensitivityDetail>;
  }
}
