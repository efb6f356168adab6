import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_SMOOTHING, SMOOTHING_LEVELS, isSmoothingLevel, type SmoothingLevel } from '../src/pipeline/prediction-stream';
import { predictionSettingsStyles } from './tm-prediction-settings.styles';

export interface PredictionSettingsDetail {
  readonly smoothing: SmoothingLevel;
  readonly showRaw: boolean;
  readonly muted: boolean;
}

const SMOOTHING_NAMES: Record<SmoothingLevel, string> = { off: 'Off', low: 'Low', high: 'High' };

/**
 * How the live prediction is shown and heard: the smoothing of the stable top class, raw or smoothed
 * bars, and a switch that mutes the class outputs.
 *
 * @fires tm-prediction-settings-change - `{smoothing, showRaw, muted}`: any of them was changed.
 */
@customElement('tm-prediction-settings')
export class TmPredictionSettings extends LitElement {
  static override styles = predictionSettingsStyles;

  @property() smoothing: SmoothingLevel = DEFAULT_SMOOTHING;
  @property({ type: Boolean, attribute: 'show-raw' }) showRaw = false;
  @property({ type: Boolean }) muted = false;

  protected override render() {
    return html`<label
        >Smoothing
        <select aria-describedby="smoothing-help" @change=${this.onSmoothing}>
          ${SMOOTHING_LEVELS.map((level) => html`<option value=${level} ?selected=${level === this.smoothing}>${SMOOTHING_NAMES[level]}</option>`)}
        </select></label
      >
      <span id="smoothing-help" hidden>How many frames a new best match must last before it counts (and its output plays).</span>
      <label><input type="checkbox" .checked=${live(this.showRaw)} @change=${this.onShowRaw} />Show raw values</label>
      <label><input type="checkbox" .checked=${live(this.muted)} @change=${this.onMuted} />Mute outputs</label>`;
  }

  private onSmoothing(event: Event): void {
    const value = (event.currentTarget as HTMLSelectElement).value;
    if (isSmoothingLevel(value)) this.report({ smoothing: value });
  }

  private onShowRaw(event: Event): void {
    this.report({ showRaw: (event.currentTarget as HTMLInputElement).checked });
  }

  private onMuted(event: Event): void {
    this.report({ muted: (event.currentTarget as HTMLInputElement).checked });
  }

  private report(change: Partial<PredictionSettingsDetail>): void {
    const detail: PredictionSettingsDetail = { smoothing: this.smoothing, showRaw: this.showRaw, muted: this.muted, ...change };
    this.dispatchEvent(new CustomEvent<PredictionSettingsDetail>('tm-prediction-settings-change', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-prediction-settings': TmPredictionSettings;
  }
  interface HTMLElementEventMap {
    'tm-prediction-settings-change': CustomEvent<PredictionSettingsDetail>;
  }
}
