import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleProperties } from './style-properties';
import { DEFAULT_MODEL_ID, MODEL_CATALOG, type ModelId, type ModelSpec } from '../src/models/catalog';
import { modelPanelStyles } from './tm-model-panel.styles';

export type ModelPanelStatus = 'loading' | 'ready' | 'error';

export interface ModelChangeDetail {
  readonly modelId: ModelId;
}

export interface ModelRetryDetail {
  readonly modelId: string;
}

/**
 * "31 ms per frame · fast enough for 32 fps"; one decimal below 10 ms, where rounding would hide the difference. The
 * rate is what the app could keep up with, not the camera's (which is often slower): a bare "77 fps" beside a 30 fps
 * camera read as a rate the page never showed.
 */
export function formatFrameTime(ms: number): string {
  const shown = ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
  return `${shown} ms per frame · fast enough for ${Math.round(1000 / ms)} fps`;
}

/**
 * Which network embeds the frames, how far its download is, and what it runs on.
 *
 * @fires tm-model-change - the user picked another model; detail {modelId}
 * @fires tm-model-retry - the user asked to load the model again after an error; detail {modelId}
 * @cssprop --tm-accent - progress bar, button and focus colour
 * @cssprop --tm-surface - panel and progress track background
 * @cssprop --tm-text - text colour
 * @cssprop --tm-danger - error text colour
 */
@customElement('tm-model-panel')
export class TmModelPanel extends LitElement {
  static override styles = modelPanelStyles;

  @property({ attribute: false }) models: readonly ModelSpec[] = MODEL_CATALOG;
  @property({ attribute: 'selected-id' }) selectedId: string = DEFAULT_MODEL_ID;
  @property() status: ModelPanelStatus = 'loading';
  /** 0..1, or null while the size of the download is unknown. */
  @property({ type: Number }) progress: number | null = null;
  @property({ attribute: 'progress-source' }) progressSource: 'cache' | 'network' | null = null;
  @property({ attribute: 'error-message' }) errorMessage: string | null = null;
  @property() backend: string | null = null;
  @property({ attribute: 'backend-detail' }) backendDetail = '';
  /** Time of the last frame in ms, or null before the first one. */
  @property({ type: Number, attribute: 'frame-ms' }) frameMs: number | null = null;
  /** Examples kept with models other than the selected one. */
  @property({ type: Number, attribute: 'other-model-examples' }) otherModelExamples = 0;

  private get selectedName(): string {
    return this.models.find((spec) => spec.id === this.selectedId)?.name ?? this.selectedId;
  }

  override render() {
    const loading = this.status === 'loading';
    return html`
      <div class="panel">
        <label for="model">Model</label>
        <select
          id="model"
          ?disabled=${loading}
          aria-describedby=${this.otherModelExamples > 0 ? 'kept' : nothing}
          @change=${this.onChange}
        >
          ${this.models.map(
            (spec) =>
              html`<option value=${spec.id} .selected=${spec.id === this.selectedId}>
                ${spec.name}: ${spec.summary}
              </option>`,
          )}
        </select>
        ${this.otherModelExamples > 0 ? html`<p id="kept" class="muted">${this.keptText()}</p>` : nothing}
        ${loading ? this.renderProgress() : nothing} ${this.status === 'error' ? this.renderError() : nothing}
        ${this.status === 'ready' ? html`<p role="status">${this.selectedName} is ready.</p>` : nothing}
        <p class="backend muted">
          ${this.backend
            ? `Running on ${this.backend}${this.backendDetail ? ` (${this.backendDetail})` : ''}`
            : 'Choosing the fastest runtime…'}
        </p>
        <p class="frame-time muted">
          ${this.frameMs !== null && Number.isFinite(this.frameMs) && this.frameMs > 0
            ? formatFrameTime(this.frameMs)
            : '— ms per frame'}
        </p>
      </div>
    `;
  }

  private renderProgress() {
    const fraction = this.progress === null ? null : Math.min(Math.max(this.progress, 0), 1);
    const percent = fraction === null ? null : Math.round(fraction * 100);
    const text = this.progressText(fraction, percent);
    // Without aria-valuenow a progressbar is indeterminate, which is the truth while the size is unknown.
    return html`
      <p id="progress-text">${text}</p>
      <div
        class="track ${percent === null ? 'indeterminate' : ''}"
        role="progressbar"
        aria-labelledby="progress-text"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent ?? nothing}
      >
        <div class="fill" style=${styleProperties({ width: percent === null ? null : `${percent}%` })}></div>
      </div>
    `;
  }

  private progressText(fraction: number | null, percent: number | null): string {
    const name = this.selectedName;
    if (this.progressSource === 'cache') return `Loading ${name} from this browser's cache…`;
    // All bytes are in, but the first run (kernel compilation) is still to come.
    if (fraction === 1) return `Preparing ${name}…`;
    if (this.progressSource === 'network') return `Downloading ${name}…${percent === null ? '' : ` ${percent}%`}`;
    return `Loading ${name}…`;
  }

  private renderError() {
    return html`
      <p class="error" role="alert">${this.errorMessage ?? `${this.selectedName} could not be loaded.`}</p>
      <button type="button" class="primary" @click=${this.onRetry}>Retry</button>
    `;
  }

  private keptText(): string {
    const n = this.otherModelExamples;
    return n === 1
      ? '1 example recorded with another model is kept for when you switch back.'
      : `${n} examples recorded with other models are kept for when you switch back.`;
  }

  private onChange = (event: Event): void => {
    const modelId = (event.target as HTMLSelectElement).value as ModelId;
    this.dispatchEvent(
      new CustomEvent<ModelChangeDetail>('tm-model-change', { detail: { modelId }, bubbles: true, composed: true }),
    );
  };

  private onRetry = (): void => {
    this.dispatchEvent(
      new CustomEvent<ModelRetryDetail>('tm-model-retry', {
        detail: { modelId: this.selectedId },
        bubbles: true,
        composed: true,
      }),
    );
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-model-panel': TmModelPanel;
  }
  interface HTMLElementEventMap {
    'tm-model-change': CustomEvent<ModelChangeDetail>;
    'tm-model-retry': CustomEvent<ModelRetryDetail>;
  }
}
