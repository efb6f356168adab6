import { LitElement, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EpochReport } from '../src/classifier/dense-head/dense-head';
import { trainingChartStyles } from './tm-training-chart.styles';

const WIDTH = 300;
const HEIGHT = 140;
const PAD = { left: 34, right: 8, top: 8, bottom: 22 };

interface Series {
  readonly name: string;
  readonly className: string;
  readonly values: readonly (number | null)[];
}

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const decimal = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** SVG points of `values` (1-based epochs on x, nulls skipped) within [0, yMax]. */
function points(values: readonly (number | null)[], epochs: number, yMax: number): string {
  const x = (epoch: number) => PAD.left + ((epoch - 1) / Math.max(1, epochs - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - Math.min(v, yMax) / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  return values
    .map((v, i) => (v === null || !Number.isFinite(v) ? null : `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`))
    .filter((p) => p !== null)
    .join(' ');
}

/**
 * Loss and accuracy of every epoch, training and validation, as two live line charts; the same numbers are in a
 * table for screen readers and anyone who wants them exact. Nothing animates.
 *
 * @cssprop --tm-chart-train - Colour of the training lines.
 * @cssprop --tm-chart-validation - Colour of the validation lines (also dashed).
 * @cssprop --tm-chart-grid - Colour of the axes.
 */
@customElement('tm-training-chart')
export class TmTrainingChart extends LitElement {
  static override styles = trainingChartStyles;

  /** Every epoch so far, in order. */
  @property({ attribute: false }) history: readonly EpochReport[] = [];

  /** Epochs planned: the x axis runs to this, so the lines grow across it as training goes. */
  @property({ type: Number }) epochs = 0;

  protected override render() {
    const history = this.history;
    if (history.length === 0) return html`<p class="empty">The loss and accuracy of each epoch appear here while the head trains.</p>`;
    const epochs = Math.max(this.epochs, history.length);
    const hasValidation = history.some((r) => r.validationLoss !== null);
    const last = history[history.length - 1];
    const lossMax = Math.max(1e-6, ...history.flatMap((r) => [r.loss, r.validationLoss ?? 0].filter(Number.isFinite)));
    const loss: Series[] = [
      { name: 'training', className: 'train', values: history.map((r) => r.loss) },
      ...(hasValidation ? [{ name: 'validation', className: 'validation', values: history.map((r) => r.validationLoss) }] : []),
    ];
    const accuracy: Series[] = [
      { name: 'training', className: 'train', values: history.map((r) => r.accuracy) },
      ...(hasValidation ? [{ name: 'validation', className: 'validation', values: history.map((r) => r.validationAccuracy) }] : []),
    ];
    const lossSummary = `Loss after epoch ${last.epoch}: training ${decimal(last.loss)}${hasValidation ? `, validation ${decimal(last.validationLoss)}` : ''}.`;
    const accuracySummary = `Accuracy after epoch ${last.epoch}: training ${percent(last.accuracy)}${hasValidation ? `, validation ${percent(last.validationAccuracy)}` : ''}.`;
    return html`
      <div class="legend" aria-hidden="true">
        <span><span class="swatch"></span> training</span>
        ${hasValidation ? html`<span><span class="swatch validation"></span> validation</span>` : null}
      </div>
      <div class="charts">
        ${this.chart('Loss', loss, lossMax, decimal(lossMax), lossSummary, epochs)}
        ${this.chart('Accuracy', accuracy, 1, '100%', accuracySummary, epochs)}
      </div>
      <details>
        <summary>Every epoch as a table</summary>
        <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Loss and accuracy per epoch</caption>
          <thead>
            <tr>
              <th scope="col">Epoch</th>
              <th scope="col">Loss</th>
              <th scope="col">Accuracy</th>
              ${hasValidation ? html`<th scope="col">Validation loss</th><th scope="col">Validation accuracy</th>` : null}
            </tr>
          </thead>
          <tbody>
            ${history.map(
              (r) => html`<tr>
                <th scope="row">${r.epoch}</th>
                <td>${decimal(r.loss)}</td>
                <td>${percent(r.accuracy)}</td>
                ${hasValidation ? html`<td>${decimal(r.validationLoss)}</td><td>${percent(r.validationAccuracy)}</td>` : null}
              </tr>`,
            )}
          </tbody>
        </table>
        </div>
      </details>
    `;
  }

  private chart(title: string, series: readonly Series[], yMax: number, yMaxLabel: string, summary: string, epochs: number) {
    const bottom = HEIGHT - PAD.bottom;
    return html`<figure>
      <figcaption>${title}</figcaption>
      <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${summary}>
        ${svg`
          <line class="axis" x1=${PAD.left} y1=${PAD.top} x2=${PAD.left} y2=${bottom}></line>
          <line class="axis" x1=${PAD.left} y1=${bottom} x2=${WIDTH - PAD.right} y2=${bottom}></line>
          <text class="tick" x=${PAD.left - 4} y=${PAD.top + 8} text-anchor="end">${yMaxLabel}</text>
          <text class="tick" x=${PAD.left - 4} y=${bottom} text-anchor="end">0</text>
          <text class="tick" x=${PAD.left} y=${HEIGHT - 6}>1</text>
          <text class="tick" x=${WIDTH - PAD.right} y=${HEIGHT - 6} text-anchor="end">epoch ${epochs}</text>
          ${series.map((s) => svg`<polyline class=${s.className} data-series=${s.name} points=${points(s.values, epochs, yMax)}></polyline>`)}
        `}
      </svg>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-training-chart': TmTrainingChart;
  }
}
