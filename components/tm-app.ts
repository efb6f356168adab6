import { LitElement, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { MODEL_CATALOG } from '../src/models/catalog';
import { Teachable } from '../src/app/teachable';
import { DEFAULT_DATABASE_NAME } from '../src/storage/dataset-store';
import { viewPreferencesKey } from '../src/storage/view-preferences';
import { AutosaveController } from './controllers/autosave-controller';
import { autosaveMessages } from './controllers/autosave-messages';
import { DatasetActionsController } from './controllers/dataset-actions-controller';
import { DenseHeadController } from './controllers/dense-head-controller';
import { FramePathController } from './controllers/frame-path-controller';
import { EvaluationController } from './controllers/evaluation-controller';
import { ModelController } from './controllers/model-controller';
import { PredictionEventsController } from './controllers/prediction-events-controller';
import { ReembedController } from './controllers/reembed-controller';
import { classActions } from './controllers/class-actions';
import { HostEventsController } from './controllers/host-events-controller';
import { panelActions } from './controllers/panel-actions';
import { LiveViewController } from './controllers/live-view-controller';
import { NoticesController } from './controllers/notices-controller';
import { settingsActions } from './controllers/settings-actions';
import { RecordingController } from './controllers/recording-controller';
import { PredictionLoopController } from './controllers/prediction-loop';
import type { TmClassList } from './tm-class-list';
import type { TmModeBars } from './tm-mode-bars';
import type { TmModelPanel } from './tm-model-panel';
import { FrameGrabber } from '../src/camera/frame';
import { predictImage } from '../src/app/try-image';
import { WebPageExportController } from './controllers/web-page-export-controller';
import type { TmWebcam } from './tm-webcam';
import './tm-app-elements';
import { appStyles } from './tm-app.styles';
import { ConfirmController } from './controllers/confirm-controller';
import { UndoController } from './controllers/undo-controller';

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

  /** Passing problems, each until dismissed. */
  private readonly notices = new NoticesController(this);

  /** The class whose examples are open in the grid, or null. */
  @state() private examplesOf: string | null = null;

  @query('tm-webcam') private webcam!: TmWebcam | null;
  @query('tm-mode-bars', true) private modeBars!: TmModeBars | null;
  @query('tm-class-list', true) private classCards!: TmClassList | null;
  @query('tm-model-panel', true) private modelPanel!: TmModelPanel | null;

  readonly teachable = new Teachable();
  private readonly model = new ModelController(this, { onEmbedder: (embedder) => this.framePath.useEmbedder(embedder) });
  /** Each frame shown on the bars, the cards and the frame time alone: this element does not render per frame. */
  private readonly live: LiveViewController = new LiveViewController(
    this,
    () => ({ bars: this.modeBars, classes: this.classCards, frameTime: this.modelPanel }),
    (): number | null => this.loop.lastStepMs,
  );
  private readonly loop: PredictionLoopController = new PredictionLoopController(
    this.live.loopHost,
    () => this.framePath.step(),
    () => this.webcam?.video ?? null,
  );
  /** Each camera frame through the core to the view (after the loop: the loop stops before the pipeline goes). */
  private readonly framePath: FramePathController = new FramePathController(this, this.teachable, {
    addNotice: (message) => this.notices.add(message),
    video: () => this.webcam?.video ?? null,
    mirrored: () => this.mirrored,
    restoring: () => this.autosave.restoring,
    loop: () => this.loop,
    live: () => this.live,
    recording: () => this.recording,
    predictions: () => this.predictions,
  });
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
    ...autosaveMessages(this.datasetActions),
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
    this.notices.add,
    () => viewPreferencesKey(this.databaseName),
  );
  /** The offer to re-embed examples of another model after a switch. */
  private readonly reembed = new ReembedController(this, this.teachable);
  private readonly onTeachableChange = () => this.requestUpdate();
  /** Which class frames are recorded into: holds, countdowns, timed recordings, quick taps. */
  private readonly recording = new RecordingController(this, this.teachable, {
    cameraRunning: () => !!this.webcam?.video,
    cards: () => this.classCards?.cards ?? [],
    addNotice: this.notices.add,
    dismissNotice: this.notices.dismiss,
    started: (classId) => this.undoing.recordingStarted(classId),
    ended: (classId) => this.undoing.recordingEnded(classId),
  });
  /** What the class cards, the settings and the other panels ask for. */
  readonly actions = new HostEventsController(this, {
    ...classActions(this.teachable, {
      recording: this.recording,
      addNotice: this.notices.add,
      openExamples: (classId) => (this.examplesOf = classId),
      addImages: (classId, files) => void this.datasetActions.addImages(classId, files),
      setOutput: (classId, output) => this.predictions.setOutput(classId, output),
      pickSound: (classId, file) => void this.predictions.pickSound(classId, file),
    }),
    ...settingsActions(this.teachable, this.predictions, () => this.requestUpdate()),
    ...panelActions({
      model: this.model,
      reembed: this.reembed,
      dense: this.dense,
      evaluation: this.evaluation,
      datasetActions: this.datasetActions,
      webPage: this.webPage,
      undoing: this.undoing,
      confirmations: this.confirmations,
      clearAll: () => this.clearAll(),
      deleteExamples: (classId, rows) => this.teachable.deleteExamples(classId, rows),
      closeExamples: () => (this.examplesOf = null),
    }),
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
  }

  /** Complete once the class list has shown the cards too (its cards update in its own update). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.classCards?.updateComplete;
    return done;
  }

  override render() {
    const classes = this.teachable.classes;
    const { frame } = this.live;
    const ready = this.model.status === 'ready';
    const mode = this.teachable.classifierMode;
    const trainer = this.dense.trainer;
    const taught = classes.filter((c) => this.teachable.exampleCount(c.id) > 0).length;
    const anyExamples = taught > 0;
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
          .frameMs=${this.live.frameMs}
          .otherModelExamples=${this.teachable.examplesWithOtherModels()}
        ></tm-model-panel>
        <tm-reembed-offer
          .offer=${this.reembed.offerText}
          .progress=${this.reembed.progress}
          .message=${this.reembed.message}
          .messageIsError=${this.reembed.messageIsError}
        ></tm-reembed-offer>
      </header>
      ${this.notices.render()}
      <main>
      ${taught < 2 ? html`<tm-first-run class="panel" .frames=${this.live.frameMs !== null} .taught=${taught}></tm-first-run>` : null}
      <div class="layout">
        <section class="panel preview-column" aria-label="Camera and predictions">
          <div class="preview">
          <tm-try-images .classify=${ready && anyExamples ? this.tryImage : null}>
            <tm-webcam
              .mirrored=${this.mirrored}
              @tm-camera-ready=${this.framePath.cameraReady}
              @tm-camera-error=${this.framePath.cameraFailed}
            ></tm-webcam>
          </tm-try-images>
          <tm-mode-bars
            .mode=${mode}
            .classes=${classes}
            .knn=${frame.knn}
            .dense=${frame.dense}
            .unknown=${frame.unknown}
            .stream=${frame.stream}
            .showRaw=${this.predictions.showRaw}
            .headPhase=${trainer.phase}
            .headForModel=${trainer.headForCurrentModel}
            .unknownSensitivity=${this.teachable.unknownSensitivity}
          ></tm-mode-bars>
          </div>
          <tm-prediction-settings .smoothing=${this.teachable.smoothing} .showRaw=${this.predictions.showRaw} .muted=${this.predictions.muted}></tm-prediction-settings>
        </section>
        <section id="classes" aria-label="Classes">
          <tm-recording-settings .settings=${this.teachable.recordingSettings}></tm-recording-settings>
          ${this.renderExamples()}
          <tm-class-list
            .entries=${classes.map((info) => ({
              info,
              count: this.teachable.exampleCount(info.id),
              thumbnails: this.teachable.thumbnails(info.id),
              outputProblem: this.predictions.soundProblem(info.id),
            }))}
            .activeClassId=${frame.stream?.classId ?? null}
            .recordingClassId=${this.recording.classId}
            .recordingSettings=${this.teachable.recordingSettings}
            .ready=${ready}
          ></tm-class-list>
          <tm-dataset-toolbar
            class="panel"
            .status=${this.datasetActions.status}
            .statusIsError=${this.datasetActions.statusIsError}
            .empty=${!anyExamples}
            .busy=${this.datasetActions.busy}
          ></tm-dataset-toolbar>
          <tm-web-page-export .empty=${!ready || !anyExamples} .busy=${this.webPage.busy}></tm-web-page-export>
          <tm-action-toast .message=${this.undoing.message} .actionLabel=${this.undoing.actionLabel}></tm-action-toast>
          <tm-confirm-bar .question=${this.confirmations.question} .confirmLabel=${this.confirmations.confirmLabel}></tm-confirm-bar>
          <div class="toolbar">
            <button class="primary" @click=${() => this.teachable.addClass()}>Add a class</button>
          </div>
          <tm-vote-settings .vote=${this.teachable.voteOptions}></tm-vote-settings>
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
        ></tm-dense-panel>
        <tm-evaluation-panel
          class="panel"
          .classes=${this.evaluation.labelled(classes)}
          .knn=${this.evaluation.knn}
          .dense=${this.evaluation.dense}
          .busy=${this.evaluation.busy}
          .outdated=${this.evaluation.outdated}
          .ready=${ready}
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
    ></tm-example-grid>`;
  }

  /** The skip link: straight to the first class's record button, past the model and camera controls. */
  private skipToClasses = () => this.classCards?.focusFirstRecordButton();

  private clearAll(): void {
    this.recording.stop();
    this.teachable.clearAll();
    this.predictions.reset();
    this.live.clear();
    this.datasetActions.setStatus('Cleared.');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-app': TmApp;
  }
}
