import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { BarValue } from '../src/pipeline/prediction-stream';
import { styleProperties } from './style-properties';
import { confidenceBarsStyles } from './tm-confidence-bars.styles';

export type { BarValue } from '../src/pipeline/prediction-stream';

/** A confidence as a whole percentage in 0..100 (NaN and out-of-range values are clamped). */
export function confidencePercent(confidence: number): number {
  if (!Number.isFinite(confidence)) return 0;
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100);
}

/** The text shown and announced while a frame is far from every class. */
export const UNKNOWN_TEXT = 'Unknown — none of your classes';

/**
 * Live confidence of each class as a labelled bar in the class's own colour, the top class marked (also without
 * colour), or "Unknown" when the frame is far from every class (how far: <tm-unknown-control>).
 *
 * @cssprop --tm-text - Text colour.
 * @cssprop --tm-bar-track - Background of the empty part of a bar.
 * @cssprop --tm-bar-height - Bar thickness.
 * @cssprop --tm-accent - Marker of the top class.
 */
@customElement('tm-confidence-bars')
export class TmConfidenceBars extends LitElement {
  static override styles = confidenceBarsStyles;

  @property({ attribute: false }) bars: readonly BarValue[] = [];

  /** The class to mark as the current prediction, or null for none. */
  @property({ attribute: false }) topClassId: string | null = null;

  /** The frame is far from every class: no class is marked, and UNKNOWN_TEXT is shown and announced. */
  @property({ type: Boolean }) unknown = false;

  /** What the last render showed, as text: a frame that changes nothing shown (the same whole percentages) skips it. */
  private shown: string | null = null;

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (!super.shouldUpdate(changed)) return false;
    const shown = JSON.stringify([
      this.unknown,
      this.topClassId,
      this.bars.map((row) => [row.classId, row.label, row.color, row.off === true, confidencePercent(row.confidence)]),
    ]);
    if (shown === this.shown) return false;
    this.shown = shown;
    return true;
  }

  protected override render() {
    if (this.bars.length === 0) return html`<p class="hint">Record some examples to see predictions</p>`;
    return html`<p class="unknown" role="status" aria-live="polite">${this.unknown ? UNKNOWN_TEXT : ''}</p>
      ${this.renderBars(this.bars)}`;
  }

  private renderBars(rows: readonly BarValue[]) {
    return html`<ul aria-label="Predictions" class=${this.unknown ? 'is-unknown' : ''}>
      ${repeat(
        rows,
        (row) => row.classId,
        (row) => {
          if (row.off) return this.renderOff(row);
          const percent = confidencePercent(row.confidence);
          const top = !this.unknown && row.classId === this.topClassId;
          return html`<li class=${top ? 'top' : ''} data-class-id=${row.classId}>
            <span class="marker" aria-hidden="true">▶</span>
            <span class="label">${row.label}${top ? html`<span class="visually-hidden"> (top match)</span>` : null}</span>
            <div
              class="track"
              role="progressbar"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${percent}
              aria-label=${row.label}
              style=${styleProperties({ '--tm-class-color': row.color, '--tm-bar-fill': `${percent / 100}` })}
            >
              <div class="fill"></div>
            </div>
            <span class="percent">${percent}%</span>
          </li>`;
        },
      )}
    </ul>`;
  }

  /** A class turned off: no bar to read, and the row says why. */
  private renderOff(row: BarValue) {
    return html`<li class="off" data-class-id=${row.classId}>
      <span class="marker" aria-hidden="true"></span>
      <span class="label">${row.label}</span>
      <span class="off-note">Off: not used in predictions</span>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-confidence-bars': TmConfidenceBars;
  }
}
