import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DenseHeadPrediction } from '../src/classifier/dense-head/dense-head';
import type { KnnPrediction } from '../src/classifier/knn/knn';
import type { ClassifierMode } from '../src/app/dense-settings';
import type { HeadPhase } from '../src/app/head-trainer';
import type { ClassInfo } from '../src/app/teachable';
import { barValues, voteBarValues, type PredictionDetail } from '../src/pipeline/prediction-stream';
import './tm-confidence-bars';
import './tm-unknown-control';
import { modeBarsStyles } from './tm-mode-bars.styles';

/**
 * The live confidence bars of the classifiers the mode runs: the k-NN's, the dense head's, or both side by side,
 * each captioned. Classes the head did not learn show 0 for it.
 *
 * @cssprop --tm-muted - Colour of the captions' notes.
 */
@customElement('tm-mode-bars')
export class TmModeBars extends LitElement {
  static override styles = modeBarsStyles;

  @property() mode: ClassifierMode = 'knn';
  @property({ attribute: false }) classes: readonly ClassInfo[] = [];
  @property({ attribute: false }) knn: KnnPrediction | null = null;
  @property({ attribute: false }) dense: DenseHeadPrediction | null = null;
  @property() headPhase: HeadPhase = 'untrained';
  /** Whether there is a head for the model now loaded. */
  @property({ type: Boolean }) headForModel = false;
  /**
   * The prediction stream's last frame (smoothed confidences and the stable top class), which the bars of the
   * classifier the mode follows show when given (the dense head's in 'dense' mode, else the k-NN's); the other
   * classifier's bars, and both without it, show the frame's own votes.
   */
  @property({ attribute: false }) stream: PredictionDetail | null = null;
  /** The stream's bars show each frame's own confidences rather than the smoothed ones. */
  @property({ type: Boolean }) showRaw = false;
  /** The frame is "none of these" (far from every example): no set of bars names a class. */
  @property({ type: Boolean }) unknown = false;
  /** The one "Say unknown" setting, for every classifier shown. */
  @property({ type: Number }) unknownSensitivity = 0;

  protected override render() {
    const both = this.mode === 'both';
    return html`<div class="columns">
        ${this.mode !== 'dense' ? this.renderKnn(both) : null} ${this.mode !== 'knn' ? this.renderDense() : null}
      </div>
      ${this.classes.length
        ? html`<tm-unknown-control .sensitivity=${this.unknownSensitivity}></tm-unknown-control>
            ${this.mode === 'knn'
              ? null
              : html`<p class="governs">
                  “Unknown” means the frame is far from every example, so this one setting applies to the
                  ${both ? 'k-NN and the dense head alike' : 'dense head too'}.
                </p>`}`
        : null}`;
  }

  private renderKnn(captioned: boolean) {
    const stream = this.mode !== 'dense' ? this.stream : null;
    const bars = html`<tm-confidence-bars
      data-mode="knn"
      .bars=${stream ? barValues(stream, this.classes, this.showRaw) : voteBarValues(this.knn?.votes, this.classes)}
      .topClassId=${stream ? stream.classId : (this.knn?.classId ?? null)}
      .unknown=${this.unknown}
    ></tm-confidence-bars>`;
    return captioned ? html`<section aria-labelledby="knn-caption"><h2 id="knn-caption">k-NN</h2>${bars}</section>` : html`<section>${bars}</section>`;
  }

  private renderDense() {
    const stream = this.mode === 'dense' ? this.stream : null;
    const note = this.headPhase === 'stale' ? ' (out of date)' : this.headPhase === 'training' ? ' (training a new one)' : '';
    return html`<section aria-labelledby="dense-caption">
      <h2 id="dense-caption">Dense head<span class="note">${note}</span></h2>
      ${this.dense
        ? html`<tm-confidence-bars
            data-mode="dense"
            .bars=${stream ? barValues(stream, this.classes, this.showRaw) : voteBarValues(this.dense.confidences, this.classes)}
            .topClassId=${stream ? stream.classId : this.dense.classId}
            .unknown=${this.unknown}
          ></tm-confidence-bars>`
        : html`<p>${this.waitingText()}</p>`}
    </section>`;
  }

  private waitingText(): string {
    if (this.headForModel) return 'Waiting for the camera…';
    return this.headPhase === 'untrained' || this.headPhase === 'training'
      ? 'Train the dense head to see its predictions.'
      : 'This head was trained on another model: train it again to use it.';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-mode-bars': TmModeBars;
  }
}
