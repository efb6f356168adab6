import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Evaluation } from '../src/classifier/analysis/evaluate';
import type { EvaluationOutcome, ModeEvaluation } from '../src/app/mode-evaluation';
import { styleProperties } from './style-properties';
import { evaluationPanelStyles } from './tm-evaluation-panel.styles';

export interface EvaluatedClass {
  readonly id: string;
  readonly label: string;
}

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/**
 * How well each mode recognises examples it did not learn from, measured when "Evaluate" is pressed: overall and
 * per-class accuracy and a confusion matrix for the k-NN and for the dense head, each saying how it was measured.
 *
 * @fires tm-evaluate-request - the Evaluate button was pressed.
 * @cssprop --tm-matrix-hit - Background of a matrix cell, mixed in proportion to its share of the row.
 * @cssprop --tm-border, --tm-surface, --tm-focus - Colours.
 */
@customElement('tm-evaluation-panel')
export class TmEvaluationPanel extends LitElement {
  static override styles = evaluationPanelStyles;

  /** Class labels, by id. */
  @property({ attribute: false }) classes: readonly EvaluatedClass[] = [];
  @property({ attribute: false }) knn: EvaluationOutcome | null = null;
  @property({ attribute: false }) dense: EvaluationOutcome | null = null;
  @property({ type: Boolean }) busy = false;
  /** The examples, vote or head changed since these numbers were measured. */
  @property({ type: Boolean }) outdated = false;
  /** False until a model is loaded. */
  @property({ type: Boolean }) ready = false;

  protected override render() {
    const measured = this.knn !== null || this.dense !== null;
    return html`
      <h2>Evaluation</h2>
      <p>
        <button ?disabled=${this.busy || !this.ready} @click=${this.request}>${measured ? 'Evaluate again' : 'Evaluate'}</button>
      </p>
      <p role="status">
        ${this.busy ? 'Measuring…' : this.outdated ? 'The examples, the vote or the head changed since: evaluate again for current numbers.' : ''}
      </p>
      ${measured
        ? html`<div class="modes">
            ${this.renderMode('k-NN', 'knn', this.knn)} ${this.renderMode('Dense head', 'dense', this.dense)}
          </div>`
        : html`<p>Measures each classifier on examples it did not learn from.</p>`}
    `;
  }

  private renderMode(title: string, key: string, outcome: EvaluationOutcome | null) {
    const headingId = `${key}-heading`;
    return html`<section aria-labelledby=${headingId} data-mode=${key}>
      <h3 id=${headingId}>${title}</h3>
      ${outcome === null ? null : 'problem' in outcome ? html`<p class="problem">${outcome.problem}</p>` : this.renderResult(title, outcome.result)}
    </section>`;
  }

  private renderResult(title: string, { evaluation, method }: ModeEvaluation) {
    // A class the app no longer knows is never shown by its internal id.
    const label = (id: string) => this.classes.find((c) => c.id === id)?.label ?? 'A deleted class';
    return html`
      <p class="method">${method}</p>
      <p class="overall">Accuracy: <strong>${percent(evaluation.accuracy)}</strong> (${evaluation.correct} of ${evaluation.total})</p>
      <div class="table-wrap">
        <table class="per-class">
          <caption>${title}: accuracy per class</caption>
          <thead>
            <tr><th scope="col">Class</th><th scope="col">Held out</th><th scope="col">Right</th><th scope="col">Accuracy</th></tr>
          </thead>
          <tbody>
            ${evaluation.perClass.map(
              (c) => html`<tr>
                <th scope="row">${label(c.classId)}</th>
                <td>${c.total}</td>
                <td>${c.correct}</td>
                <td>${percent(c.accuracy)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="table-wrap">${this.renderMatrix(title, evaluation, label)}</div>
      ${evaluation.unpredicted
        ? html`<p class="method">${evaluation.unpredicted} examples had nothing left to be compared with and count as wrong.</p>`
        : null}
    `;
  }

  private renderMatrix(title: string, evaluation: Evaluation, label: (id: string) => string) {
    return html`<table class="matrix">
      <caption>${title}: confusion matrix (rows: the actual class; columns: what it was taken for)</caption>
      <thead>
        <tr>
          <td></td>
          ${evaluation.classIds.map((id) => html`<th scope="col">${label(id)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${evaluation.classIds.map((id, row) => {
          const total = evaluation.perClass[row].total;
          return html`<tr>
            <th scope="row">${label(id)}</th>
            ${evaluation.confusion[row].map(
              (count, column) => html`<td
                class=${row === column ? 'diagonal' : ''}
                style=${styleProperties({ '--share': `${total ? Math.round((45 * count) / total) : 0}%` })}
              >
                ${count}
              </td>`,
            )}
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private request(): void {
    this.dispatchEvent(new CustomEvent<void>('tm-evaluate-request', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-evaluation-panel': TmEvaluationPanel;
  }
  interface HTMLElementEventMap {
    'tm-evaluate-request': CustomEvent<void>;
  }
}
