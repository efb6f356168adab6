import { LitElement, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DenseHeadPrediction } from '../src/classifier/dense-head/dense-head';
import type { KnnPrediction } from '../src/classifier/knn/knn';
import { MODEL_CATALOG, type ModelId } from '../src/models/catalog';
import type { Embedder } from '../src/models/embedder';
import { DuplicateLabelError, Teachable } from '../src/app/teachable';
import { FramePipeline } from '../src/pipeline/frame-pipeline';
import { DEFAULT_DATABASE_NAME } from '../src/storage/dataset-store';
import { viewPreferencesKey } from '../src/storage/view-preferences';
import { AutosaveController, type SavingAgainReason } from './controllers/autosave-controller';
import { DatasetActionsController } from './controllers/dataset-actions-controller';
import { DenseHeadController } from './controllers/dense-head-controller';
import { EvaluationController } from './controllers/evaluation-controller';
import { ModelController } from './controllers/model-controller';
import { PredictionEventsController } from './controllers/prediction-events-controller';
import { ReembedController } from './controllers/reembed-controller';
import './tm-reembed-offer';
import type { ClassEnableDetail, ClassImagesDetail, ClassOutputDetail, ClassRenameDetail, ClassSoundDetail, TmClassCard } from './tm-class-card';
import type { ClassMoveDetail } from './controllers/class-reorder-controller';
import './tm-recording-settings';
import type { RecordingSettingsDetail } from './tm-recording-settings';
import { RecordingController } from './controllers/recording-controller';
import type { DatasetExportDetail, DatasetImportDetail } from './tm-dataset-toolbar';
import './tm-dataset-toolbar';
import { PredictionLoopController } from './controllers/prediction-loop';
import './tm-class-card';
import type { UnknownSensitivityDetail } from './tm-unknown-control';
import './tm-dense-panel';
import type { DenseSettingsChangeDetail, ModeChangeDetail } from './tm-dense-panel';
import './tm-evaluation-panel';
import './tm-first-run';
import './tm-mode-bars';
import './tm-model-panel';
import './tm-vote-settings';
import type { VoteChangeDetail } from './tm-vote-settings';
import './tm-prediction-settings';
import './tm-web-page-export';
import './tm-try-images';
import { FrameGrabber } from '../src/camera/frame';
import { predictImage } from '../src/app/try-image';
import { WebPageExportController } from './controllers/web-page-export-controller';
import type { PredictionSettingsDetail } from './tm-prediction-settings';
import './tm-webcam';
import type { TmWebcam } from './tm-webcam';
import { appStyles } from './tm-app.styles';
import { ConfirmController } from './controllers/confirm-controller';
import { UndoController } from './controllers/undo-controller';
import './tm-action-toast';
import './tm-confirm-bar';
import './tm-example-grid';
import type { ExamplesDeleteDetail } from './tm-example-grid';
import type { ConfirmAnswerDetail } from './tm-confirm-bar';

const SAVING_AGAIN: Readonly<Record<SavingAgainReason, string>> = {
  'took-over': 'The other tab was closed: this tab saves your classes now, as you see them here.',
  'took-over-and-loaded': 'The other tab was closed: its saved classes are loaded here, and this tab saves them now.',
  recovered: 'Saving works again: your classes are saved in this browser.',
};

/** Notices shown at once at most; older ones give way (each was announced when it appeared). */
const MAX_NOTICES = 3;

/**
 * The whole app: wires the webcam, the model and the class cards to the framework-free core (src/), which runs each
 * frame one way (src/pipeline/frame-pipeline.ts: camera frame -> embedding -> k-NN and/or dense head -> "none of
 * these" -> steady stream); this element renders the result and dispatches its events, outputs, bars and cards.
 *
 * @fires tm-prediction - every frame: PredictionDetail (stable top class, smoothed and raw confidences, mode, time).
 * @fires tm-class-change - the stable top class changed: ClassChangeDetail.
 */

@customElement('tm-app')
export class TmApp extends LitElement {
  static override styles = appStyles;

  /** Mirror the preview and the pixels (a front camera). */
  @property({ type: Boolean }) mirrored = true;

  /** IndexedDB database the examples are saved in (tests give each app its own). */
  @property({ attribute: 'database-name' }) databaseName = DEFAULT_DATABASE_NAME;

  @state() private prediction: KnnPrediction | null = null;
  @state() private unknown = false;
  /** Passing problems, oldest first, each until dismissed: a new one never hides an older one. */
  @state() private notices: readonly string[] = [];
  @state() private densePrediction: DenseHeadPrediction | null = null;

  /** The class whose examples are open in the grid, or null. */
  @state() private examplesOf: string | null = null;

  @query('tm-webcam') private webcam!: TmWebcam | null;

  readonly teachable = new Teachable();
  /** Embeds frames in a worker where one can run the model; a worker that cannot says so here. */
  private readonly frames = new FramePipeline(this.teachable, { onFallback: (message) => this.addNotice(message) });
  private readonly model = new ModelController(this, { onEmbedder: (embedder) => this.useEmbedder(embedder) });
  private readonly loop = new PredictionLoopController(
    this,
    () => this.step(),
    () => this.webcam?.video ?? null,
  );
  /** Questions asked in the page (an import's preview, an undo that would lose later changes). */
  private readonly confirmations = new ConfirmController(this);
  /** The toast after each destructive action and recording, its "Undo", and Ctrl+Z. */
  private readonly undoing = new UndoController(this, this.teachable, { ask: (question, label) => this.confirmations.ask(question, label) });
  private readonly datasetActions = new DatasetActionsController(this, this.teachable, {
    beforeImport: () => this.recording.stop(),
    preview: (question, label, signal) => this.confirmations.ask(question, label, signal),
  });
  /** Restores the saved classes on connect and saves every change while connected. */
  readonly autosave = new AutosaveController(this, this.teachable, {
    databaseName: () => this.databaseName,
    onRestored: (message) => this.datasetActions.setStatusUntilChange(message),
    onRestoring: (message) => this.datasetActions.setStatus(message),
    onProblem: (problem) => this.datasetActions.setStatus(`Not saved in this browser: ${problem.message}`, true),
    onWaiting: () =>
      this.datasetActions.setStatus(
        'The app is open in another tab, which saves your classes. Changes made in this tab are not saved ' +
          'until that tab is closed.',
        true,
      ),
    onSavingAgain: (reason) => this.datasetActions.setStatus(SAVING_AGAIN[reason]),
  });
  private readonly webPage = new WebPageExportController(this, this.teachable, {
    modelMirror: () => this.model.modelMirror,
    setStatus: (text, isError) => this.datasetActions.setStatus(text, isError),
  });
  private readonly dense = new DenseHeadController(this, this.teachable);
  private readonly evaluation = new EvaluationController(this, this.teachable, this.dense.trainer);
  /** The prediction and class-change events, and the class outputs they play. */
  readonly predictions = new PredictionEventsController(
    this,
    this.teachable,
    (message) => this.addNotice(message),
    () => viewPreferencesKey(this.databaseName),
  );
  /** The offer to re-embed examples of another model after a switch. */
  private readonly reembed = new ReembedController(this, this.teachable);
  private readonly onTeachableChange = () => this.requestUpdate();
  /** Which class frames are recorded into: holds, countdowns, timed recordings, quick taps. */
  private readonly recording = new RecordingController(this, this.teachable, {
    cameraRunning: () => !!this.webcam?.video,
    cards: () => this.renderRoot.querySelectorAll('tm-class-card'),
    addNotice: (message) => this.addNotice(message),
    dismissNotice: (message) => this.dismissNotice(message),
    started: (classId) => this.undoing.recordingStarted(classId),
    ended: (classId) => this.undoing.recordingEnded(classId),
  });
  /** "Try an image": an image's prediction, not added to any class. */
  private readonly tryImage = (image: ImageBitmap) => predictImage(this.teachable, this.tryGrabber, image);
  private readonly tryGrabber = new FrameGrabber();

  override connectedCallback(): void {
    super.connectedCallback();
    this.teachable.addEventListener('change', this.onTeachableChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.teachable.removeEventListener('change', this.onTeachableChange);
    void this.frames.dispose();
  }

  override render() {
    const classes = this.teachable.classes;
    const stableClassId = this.predictions.latest?.classId ?? null;
    const ready = this.model.status === 'ready';
    const mode = this.teachable.classifierMode;
    const trainer = this.dense.trainer;
    const taught = classes.filter((c) => this.teachable.exampleCount(c.id) > 0).length;
    return html`
      <button class="skip primary" @click=${this.skipToClasses}>Skip to the record buttons</button>
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
          @tm-model-change=${(e: CustomEvent<{ modelId: ModelId }>) => this.model.select(e.detail.modelId)}
          @tm-model-retry=${() => this.model.retry()}
        ></tm-model-panel>
        <tm-reembed-offer
          .offer=${this.reembed.offerText}
          .progress=${this.reembed.progress}
          .message=${this.reembed.message}
          .messageIsError=${this.reembed.messageIsError}
          @tm-reembed-start=${() => void this.reembed.start()}
          @tm-reembed-cancel=${() => this.reembed.cancel()}
        ></tm-reembed-offer>
      </header>
      ${this.notices.map(
        (message) =>
          html`<p class="notice" role="status">
            ${message}<button class="quiet" @click=${() => this.dismissNotice(message)} aria-label="Dismiss message">×</button>
          </p>`,
      )}
      <main>
      ${taught < 2 ? html`<tm-first-run class="panel" .frames=${this.loop.lastStepMs !== null} .taught=${taught}></tm-first-run>` : null}
      <div class="layout">
        <section class="panel preview-column" aria-label="Camera and predictions">
          <div class="preview">
          <tm-try-images .classify=${ready && classes.some((c) => this.teachable.exampleCount(c.id) > 0) ? this.tryImage : null}>
            <tm-webcam
              .mirrored=${this.mirrored}
              @tm-camera-ready=${this.onCameraReady}
              @tm-camera-error=${this.onCameraError}
            ></tm-webcam>
          </tm-try-images>
          <tm-mode-bars
            .mode=${mode}
            .classes=${classes}
            .knn=${this.prediction}
            .knnBars=${mode === 'dense' ? null : this.predictions.bars(classes)}
            .knnTopClassId=${mode === 'dense' ? null : stableClassId}
            .dense=${this.densePrediction}
            .denseBars=${mode === 'dense' ? this.predictions.bars(classes) : null}
            .denseTopClassId=${mode === 'dense' ? stableClassId : null}
            .headPhase=${trainer.phase}
            .headForModel=${trainer.headForCurrentModel}
            .unknown=${this.unknown && this.prediction !== null}
            .unknownSensitivity=${this.teachable.unknownSensitivity}
            @tm-unknown-sensitivity-change=${(e: CustomEvent<UnknownSensitivityDetail>) => (this.teachable.unknownSensitivity = e.detail.sensitivity)}
          ></tm-mode-bars>
          </div>
          <tm-prediction-settings
            .smoothing=${this.teachable.smoothing}
            .showRaw=${this.predictions.showRaw}
            .muted=${this.predictions.muted}
            @tm-prediction-settings-change=${this.onPredictionSettings}
          ></tm-prediction-settings>
        </section>
        <section id="classes" aria-label="Classes">
          <tm-recording-settings
            .settings=${this.teachable.recordingSettings}
            @tm-recording-settings-change=${(e: CustomEvent<RecordingSettingsDetail>) => (this.teachable.recordingSettings = e.detail.settings)}
          ></tm-recording-settings>
          ${this.renderExamples()}
          <div class="classes" @keydown=${this.onClassesKeyDown}>
            ${classes.length === 0
              ? html`<p class="panel">Add a class, then hold its button to record examples of it.</p>`
              : repeat(
                  classes,
                  (c) => c.id,
                  (c, position) => html`<tm-class-card
                    .classId=${c.id}
                    .label=${c.label}
                    .color=${c.color}
                    .count=${this.teachable.exampleCount(c.id)}
                    .thumbnails=${this.teachable.thumbnails(c.id)}
                    .active=${stableClassId === c.id}
                    .output=${this.teachable.classOutput(c.id)}
                    .outputProblem=${this.predictions.soundProblem(c.id)}
                    .recording=${this.recording.classId === c.id}
                    .recordingSettings=${this.teachable.recordingSettings}
                    .off=${c.disabled === true}
                    .position=${position}
                    .classCount=${classes.length}
                    .disabled=${!ready}
                    .canDelete=${true}
                    @tm-record-start=${this.recording.onStart}
                    @tm-record-end=${this.recording.onEnd}
                    @tm-record-countdown=${this.recording.onCountdown}
                    @tm-record-cancel=${this.recording.onCancel}
                    @tm-class-rename=${this.onClassRename}
                    @tm-class-move=${(e: CustomEvent<ClassMoveDetail>) => this.teachable.moveClass(e.detail.classId, e.detail.index)}
                    @tm-class-enable=${(e: CustomEvent<ClassEnableDetail>) => this.teachable.setClassEnabled(e.detail.classId, e.detail.enabled)}
                    @tm-class-clear=${(e: CustomEvent<{ classId: string }>) => this.teachable.clearClass(e.detail.classId)}
                    @tm-class-delete=${this.onClassDelete}
                    @tm-class-examples=${(e: CustomEvent<{ classId: string }>) => (this.examplesOf = e.detail.classId)}
                    @tm-class-add-images=${(e: CustomEvent<ClassImagesDetail>) =>
                      this.datasetActions.addImages(e.detail.classId, e.detail.files)}
                    @tm-class-output-change=${(e: CustomEvent<ClassOutputDetail>) =>
                      this.predictions.setOutput(e.detail.classId, e.detail.output)}
                    @tm-class-output-sound=${(e: CustomEvent<ClassSoundDetail>) =>
                      void this.predictions.pickSound(e.detail.classId, e.detail.file)}
                  ></tm-class-card>`,
                )}
          </div>
          <tm-dataset-toolbar
            class="panel"
            .status=${this.datasetActions.status}
            .statusIsError=${this.datasetActions.statusIsError}
            .empty=${!classes.some((c) => this.teachable.exampleCount(c.id) > 0)}
            .busy=${this.datasetActions.busy}
            @tm-dataset-export=${(e: CustomEvent<DatasetExportDetail>) => this.datasetActions.exportFile(e.detail.format)}
            @tm-dataset-cancel=${() => this.datasetActions.cancel()}
            @tm-dataset-export-knn-classifier=${() => this.datasetActions.exportForKnnClassifier()}
            @tm-dataset-import=${(e: CustomEvent<DatasetImportDetail>) =>
              this.datasetActions.importFile(e.detail.file, e.detail.mode)}
            @tm-dataset-clear=${this.onClearAll}
          ></tm-dataset-toolbar>
          <tm-web-page-export
            .empty=${!ready || !classes.some((c) => this.teachable.exampleCount(c.id) > 0)}
            .busy=${this.webPage.busy}
            @tm-web-page-export=${() => void this.webPage.exportPage()}
          ></tm-web-page-export>
          <tm-action-toast
            .message=${this.undoing.message}
            .actionLabel=${this.undoing.actionLabel}
            @tm-toast-action=${() => this.undoing.act()}
            @tm-toast-dismiss=${() => this.undoing.dismiss()}
          ></tm-action-toast>
          <tm-confirm-bar
            .question=${this.confirmations.question}
            .confirmLabel=${this.confirmations.confirmLabel}
            @tm-confirm-answer=${(e: CustomEvent<ConfirmAnswerDetail>) => this.confirmations.answer(e.detail.confirmed)}
          ></tm-confirm-bar>
          <div class="toolbar">
            <button class="primary" @click=${() => this.teachable.addClass()}>Add a class</button>
          </div>
          <tm-vote-settings
            .vote=${this.teachable.voteOptions}
            @tm-vote-change=${(e: CustomEvent<VoteChangeDetail>) => (this.teachable.voteOptions = e.detail.vote)}
          ></tm-vote-settings>
        </section>
      </div>
      <div class="layout head">
        <tm-dense-panel
          class="panel"
          .mode=${mode}
          .settings=${this.teachable.denseSettings}
          .phase=${trainer.phase}
          .progress=${trainer.progress}
          .staleReason=${trainer.staleReason}
          .message=${trainer.message}
          .history=${trainer.history}
          .ready=${ready}
          @tm-mode-change=${(e: CustomEvent<ModeChangeDetail>) => (this.teachable.classifierMode = e.detail.mode)}
          @tm-dense-settings-change=${(e: CustomEvent<DenseSettingsChangeDetail>) => (this.teachable.denseSettings = e.detail.settings)}
          @tm-train-start=${() => this.dense.train()}
          @tm-train-cancel=${() => this.dense.cancel()}
        ></tm-dense-panel>
        <tm-evaluation-panel
          class="panel"
          .classes=${this.evaluation.labelled(classes)}
          .knn=${this.evaluation.knn}
          .dense=${this.evaluation.dense}
          .busy=${this.evaluation.busy}
          .outdated=${this.evaluation.outdated}
          .ready=${ready}
          @tm-evaluate-request=${() => this.evaluation.evaluate()}
        ></tm-evaluation-panel>
      </div>
      </main>
    `;
  }

  /** The grid of the open class's examples (it closes by itself when the class goes). */
  private renderExamples() {
    const info = this.teachable.classes.find((c) => c.id === this.examplesOf);
    if (!info) return null;
    const modelId = this.teachable.embedder?.spec.id;
    return html`<tm-example-grid
      .classId=${info.id}
      .label=${info.label}
      .count=${this.teachable.exampleCount(info.id)}
      .thumbnails=${modelId ? this.teachable.keptThumbnails(modelId, info.id) : []}
      @tm-examples-delete=${(e: CustomEvent<ExamplesDeleteDetail>) => this.teachable.deleteExamples(e.detail.classId, e.detail.rows)}
      @tm-examples-close=${() => (this.examplesOf = null)}
    ></tm-example-grid>`;
  }

  /** Handles one camera frame; false when there was none to handle (no camera or model yet). */
  private async step(): Promise<boolean> {
    const video = this.webcam?.video;
    // While a restore runs, embedding frames only took the page from it (half of it at 10,000 examples).
    if (!video || this.autosave.restoring) return false;
    const result = await this.frames.step(video, this.mirrored, this.recording.recordTo(performance.now()));
    if (!result) return false;
    if (result.recordedTo) this.recording.recorded(result.recordedTo);
    this.prediction = result.prediction;
    this.unknown = result.unknown;
    this.densePrediction = result.dense;
    if (result.stream) this.predictions.emit(result.stream);
    return true;
  }

  private async useEmbedder(embedder: Embedder | null): Promise<void> {
    this.loop.resetTiming();
    if (!embedder) {
      this.teachable.setEmbedder(null);
      await this.loop.idle();
      this.prediction = null;
      this.densePrediction = null;
      this.predictions.reset();
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
    this.recording.cameraFailed();
    this.loop.resetTiming();
    this.prediction = null;
    this.densePrediction = null;
    this.predictions.reset();
  };

  /** Shows `message` below any shown before it; the same message twice is shown once. */
  private addNotice(message: string): void {
    if (!this.notices.includes(message)) this.notices = [...this.notices, message].slice(-MAX_NOTICES);
  }

  private dismissNotice(message: string): void {
    this.notices = this.notices.filter((m) => m !== message);
  }

  /** The skip link: straight to the first class's record button, past the model and camera controls. */
  private skipToClasses = () => {
    this.renderRoot.querySelector<TmClassCard>('tm-class-card')?.focusRecordButton();
  };

  /** Up and down arrows on a record button move to the previous or next class's record button. */
  private onClassesKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    const path = event.composedPath();
    if (!step || !path.some((node) => node instanceof HTMLElement && node.localName === 'tm-record-button')) return;
    const cards = [...this.renderRoot.querySelectorAll<TmClassCard>('tm-class-card')];
    const next = cards[cards.findIndex((card) => path.includes(card)) + step];
    if (!next) return;
    event.preventDefault();
    next.focusRecordButton();
  };

  /** A name another class has is refused: the message says so and the card shows the old name again. */
  private onClassRename = (e: CustomEvent<ClassRenameDetail>) => {
    try {
      this.teachable.renameClass(e.detail.classId, e.detail.label);
    } catch (error) {
      if (!(error instanceof DuplicateLabelError)) throw error;
      this.addNotice(error.message);
      (e.target as TmClassCard).requestUpdate();
    }
  };

  private onClassDelete = (e: CustomEvent<{ classId: string }>) => {
    const { classId } = e.detail;
    const info = this.teachable.classes.find((c) => c.id === classId);
    if (!info) return;
    const count = this.teachable.exampleCount(classId);
    if (count > 0 && !confirm(`Delete "${info.label}" and its ${count} examples?`)) return;
    this.recording.classDeleted(classId, info.label);
    this.teachable.deleteClass(classId);
  };

  private onClearAll = () => {
    this.recording.stop();
    this.teachable.clearAll();
    this.prediction = null;
    this.densePrediction = null;
    this.predictions.reset();
    this.datasetActions.setStatus('Cleared.');
  };

  private onPredictionSettings = (e: CustomEvent<PredictionSettingsDetail>) => {
    const { smoothing, showRaw, muted } = e.detail;
    if (smoothing !== this.teachable.smoothing) this.teachable.smoothing = smoothing;
    this.predictions.showRaw = showRaw;
    this.predictions.muted = muted;
    this.requestUpdate();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-app': TmApp;
  }
}
