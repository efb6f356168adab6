import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { DEFAULT_VOTE } from '../src/classifier/vote';
import { FrameGrabber } from '../src/frame';
import { MODEL_CATALOG, type ModelId } from '../src/models/catalog';
import type { Embedder } from '../src/models/embedder';
import { Teachable } from '../src/teachable';
import type { KnnPrediction } from '../src/classifier/knn';
import { DEFAULT_DATABASE_NAME } from '../src/storage/dataset-store';
import { AutosaveController, type SavingAgainReason } from './autosave-controller';
import { DatasetActionsController } from './dataset-actions-controller';
import { ModelController } from './model-controller';
import type { ClassImagesDetail } from './tm-class-card';
import type { DatasetImportDetail } from './tm-dataset-toolbar';
import './tm-dataset-toolbar';
import { PredictionLoopController } from './prediction-loop';
import './tm-class-card';
import './tm-confidence-bars';
import './tm-model-panel';
import './tm-webcam';
import type { TmWebcam } from './tm-webcam';

const SAVING_AGAIN: Readonly<Record<SavingAgainReason, string>> = {
  'took-over': 'The other tab was closed: this tab saves your classes now, as you see them here.',
  'took-over-and-loaded': 'The other tab was closed: its saved classes are loaded here, and this tab saves them now.',
  recovered: 'Saving works again: your classes are saved in this browser.',
};

/**
 * The whole app: wires the webcam, the model and the class cards to the framework-free core (src/).
 * Data flows one way: camera frame -> embedding -> k-NN -> bars and cards.
 */
@customElement('tm-app')
export class TmApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 1100px;
      margin: 0 auto;
      padding: 1rem;
      color: var(--tm-text, #1b1f24);
      font-family: var(--tm-font, system-ui, sans-serif);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1.5rem;
      align-items: baseline;
      justify-content: space-between;
    }
    header tm-model-panel {
      flex: 1 1 18rem;
      min-width: 0;
    }
    h1 {
      font-size: 1.4rem;
      margin: 0 0 0.5rem;
    }
    .layout {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
    }
    @media (min-width: 760px) {
      .layout {
        grid-template-columns: minmax(280px, 420px) minmax(0, 1fr);
        align-items: start;
      }
    }
    .panel {
      background: var(--tm-surface, #fff);
      border: 1px solid var(--tm-border, #d0d7de);
      border-radius: 12px;
      padding: 0.75rem;
    }
    .classes {
      display: grid;
      gap: 0.75rem;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
      margin-top: 0.75rem;
    }
    button {
      font: inherit;
      padding: 0.45rem 0.9rem;
      border-radius: 8px;
      border: 1px solid var(--tm-border, #d0d7de);
      background: var(--tm-surface, #fff);
      color: inherit;
      cursor: pointer;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--tm-focus, #0969da);
      outline-offset: 2px;
    }
    label {
      display: inline-flex;
      gap: 0.4rem;
      align-items: center;
    }
    input[type='number'] {
      width: 4rem;
      font: inherit;
    }
    .notice {
      margin: 0.5rem 0;
      padding: 0.5rem 0.75rem;
      border-radius: 8px;
      background: var(--tm-notice-bg, #fff8c5);
    }
    .notice button {
      margin-left: 0.5rem;
      padding: 0.1rem 0.5rem;
    }
  `;

  /** Mirror the preview and the pixels (a front camera). */
  @property({ type: Boolean }) mirrored = true;

  /** IndexedDB database the examples are saved in (tests give each app its own). */
  @property({ attribute: 'database-name' }) databaseName = DEFAULT_DATABASE_NAME;

  @state() private prediction: KnnPrediction | null = null;
  @state() private recordingClassId: string | null = null;
  @state() private notice: string | null = null;
  @state() private k = DEFAULT_VOTE.k;

  @query('tm-webcam') private webcam!: TmWebcam | null;

  readonly teachable = new Teachable();
  private readonly grabber = new FrameGrabber();
  private readonly model = new ModelController(this, { onEmbedder: (embedder) => this.useEmbedder(embedder) });
  private readonly loop = new PredictionLoopController(
    this,
    () => this.step(),
    () => this.webcam?.video ?? null,
  );
  private readonly datasetActions = new DatasetActionsController(this, this.teachable, {
    beforeImport: () => this.stopRecording(),
  });
  /** Restores the saved classes on connect and saves every change while connected. */
  readonly autosave = new AutosaveController(this, this.teachable, {
    databaseName: () => this.databaseName,
    onRestored: () => {
      this.k = this.teachable.voteOptions.k;
      this.datasetActions.setStatus('Your classes and examples from last time are back.');
    },
    onProblem: (problem) => this.datasetActions.setStatus(`Not saved in this browser: ${problem.message}`, true),
    onWaiting: () =>
      this.datasetActions.setStatus(
        'The app is open in another tab, which saves your classes. Changes made in this tab are not saved ' +
          'until that tab is closed.',
        true,
      ),
    onSavingAgain: (reason) => this.datasetActions.setStatus(SAVING_AGAIN[reason]),
  });
  private readonly onTeachableChange = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.teachable.addEventListener('change', this.onTeachableChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.teachable.removeEventListener('change', this.onTeachableChange);
  }

  override render() {
    const classes = this.teachable.classes;
    const votes = new Map(this.prediction?.votes.map((v) => [v.classId, v.confidence]));
    const ready = this.model.status === 'ready';
    return html`
      <header>
        <h1>Teachable k-NN</h1>
        <tm-model-panel
          .models=${MODEL_CATALOG}
          .selectedId=${this.model.modelId}
          .status=${this.model.status}
          .progress=${this.model.progress}
          .progressSource=${this.model.progressSource}
          .errorMessage=${this.model.errorMessage}
          .backend=${this.model.backend?.name ?? null}
          .backendDetail=${this.model.backend?.detail ?? ''}
          .frameMs=${this.loop.lastStepMs}
          .otherModelExamples=${this.teachable.examplesWithOtherModels()}
          @model-change=${(e: CustomEvent<{ modelId: ModelId }>) => this.model.select(e.detail.modelId)}
          @model-retry=${() => this.model.retry()}
        ></tm-model-panel>
      </header>
      ${this.notice
        ? html`<p class="notice" role="status">
            ${this.notice}<button @click=${() => (this.notice = null)} aria-label="Dismiss message">×</button>
          </p>`
        : null}
      <main class="layout">
        <section class="panel" aria-label="Camera and predictions">
          <tm-webcam
            .mirrored=${this.mirrored}
            @camera-ready=${this.onCameraReady}
            @camera-error=${this.onCameraError}
          ></tm-webcam>
          <tm-confidence-bars
            .bars=${classes.map((c) => ({ classId: c.id, label: c.label, confidence: votes.get(c.id) ?? 0 }))}
            .topClassId=${this.prediction?.classId ?? null}
          ></tm-confidence-bars>
        </section>
        <section aria-label="Classes">
          <div class="classes">
            ${classes.length === 0
              ? html`<p class="panel">Add a class, then hold its button to record examples of it.</p>`
              : classes.map(
                  (c) => html`<tm-class-card
                    .classId=${c.id}
                    .label=${c.label}
                    .count=${this.teachable.exampleCount(c.id)}
                    .thumbnails=${this.teachable.thumbnails(c.id)}
                    .active=${this.prediction?.classId === c.id}
                    .recording=${this.recordingClassId === c.id}
                    .disabled=${!ready}
                    .canDelete=${true}
                    @record-start=${this.onRecordStart}
                    @record-end=${this.onRecordEnd}
                    @class-rename=${(e: CustomEvent<{ classId: string; label: string }>) =>
                      this.teachable.renameClass(e.detail.classId, e.detail.label)}
                    @class-clear=${(e: CustomEvent<{ classId: string }>) => this.teachable.clearClass(e.detail.classId)}
                    @class-delete=${this.onClassDelete}
                    @class-add-images=${(e: CustomEvent<ClassImagesDetail>) =>
                      this.datasetActions.addImages(e.detail.classId, e.detail.files)}
                  ></tm-class-card>`,
                )}
          </div>
          <tm-dataset-toolbar
            class="panel"
            .status=${this.datasetActions.status}
            .statusIsError=${this.datasetActions.statusIsError}
            .empty=${!classes.some((c) => this.teachable.exampleCount(c.id) > 0)}
            @dataset-export=${() => this.datasetActions.exportFile()}
            @dataset-import=${(e: CustomEvent<DatasetImportDetail>) =>
              this.datasetActions.importFile(e.detail.file, e.detail.mode)}
            @dataset-clear=${this.onClearAll}
          ></tm-dataset-toolbar>
          <div class="toolbar">
            <button @click=${() => this.teachable.addClass()}>Add a class</button>
            <label
              >Neighbours per class (k)
              <input
                type="number"
                min="1"
                max="20"
                .value=${String(this.k)}
                @change=${this.onKChange}
                aria-describedby="k-help"
            /></label>
            <span id="k-help" hidden>How many of each class's nearest examples are averaged in the vote.</span>
          </div>
        </section>
      </main>
    `;
  }

  private async step(): Promise<void> {
    const video = this.webcam?.video;
    if (!video || !this.teachable.embedder) return;
    const pixels = this.grabber.grab(video, this.mirrored);
    if (!pixels) return;
    const recordTo = this.recordingClassId;
    const result = await this.teachable.processFrame(pixels, recordTo, () => this.grabber.thumbnail());
    this.prediction = result.prediction;
  }

  private async useEmbedder(embedder: Embedder | null): Promise<void> {
    if (!embedder) {
      this.teachable.setEmbedder(null);
      await this.loop.idle();
      this.prediction = null;
      return;
    }
    this.teachable.setEmbedder(embedder);
    this.loop.start();
  }

  private onCameraReady = () => {
    // A new stream may come with a new video element: restart so frames are awaited on the right one.
    this.loop.stop();
    this.loop.start();
  };

  private onCameraError = () => {
    this.stopRecording();
    this.prediction = null;
  };

  private onRecordStart = (e: CustomEvent<{ classId: string }>) => {
    if (!this.teachable.hasClass(e.detail.classId)) return;
    if (!this.webcam?.video) {
      this.notice = 'The camera is not running, so there is nothing to record yet.';
      return;
    }
    this.recordingClassId = e.detail.classId;
  };

  private onRecordEnd = (e: CustomEvent<{ classId: string }>) => {
    if (this.recordingClassId === e.detail.classId) this.recordingClassId = null;
  };

  private onClassDelete = (e: CustomEvent<{ classId: string }>) => {
    const { classId } = e.detail;
    const info = this.teachable.classes.find((c) => c.id === classId);
    if (!info) return;
    const count = this.teachable.exampleCount(classId);
    if (count > 0 && !confirm(`Delete "${info.label}" and its ${count} examples?`)) return;
    if (this.recordingClassId === classId) {
      this.recordingClassId = null;
      this.notice = `Recording stopped: "${info.label}" was deleted.`;
    }
    this.teachable.deleteClass(classId);
  };

  private onKChange = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const k = Math.round(Number(input.value));
    if (Number.isFinite(k) && k >= 1 && k <= 20) {
      this.k = k;
      this.teachable.voteOptions = { ...this.teachable.voteOptions, k };
    } else {
      input.value = String(this.k);
      this.notice = 'k must be a whole number from 1 to 20.';
    }
  };

  private onClearAll = () => {
    this.stopRecording();
    for (const info of [...this.teachable.classes]) this.teachable.deleteClass(info.id);
    this.teachable.addClass();
    this.teachable.addClass();
    this.prediction = null;
    this.datasetActions.setStatus('Cleared.');
  };

  private stopRecording(): void {
    this.recordingClassId = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-app': TmApp;
  }
}
