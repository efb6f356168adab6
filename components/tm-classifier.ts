import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { OUTPUT_CHANNEL } from '../src/outputs/broadcast';
import { OutputPlayer, browserDevices } from '../src/outputs/player';
import {
  DEFAULT_SMOOTHING,
  PredictionStream,
  barValues,
  isSmoothingLevel,
  type ClassChangeDetail,
  type PredictionDetail,
  type SmoothingLevel,
} from '../src/pipeline/prediction-stream';
import { DEFAULT_UNKNOWN_SENSITIVITY } from '../src/classifier/knn/unknown';
import { ClassifierError, loadClassifier, type Classification, type ClassifierErrorKind, type ImageSource, type TeachableClassifier } from '../src/runtime';
import { useRuntimeBackend } from '../src/runtime/runtime-backend';
import { PredictionLoopController } from './controllers/prediction-loop';
import type { GetUserMedia } from './controllers/camera-controller';
import './tm-unknown-control';
import type { UnknownSensitivityDetail } from './tm-unknown-control';
import type { TmWebcam } from './tm-webcam';
import { classifierStyles } from './tm-classifier.styles';
import './tm-confidence-bars';
import './tm-webcam';

export type { ClassChangeDetail, PredictionDetail } from '../src/pipeline/prediction-stream';

export type ClassifierStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ClassifierErrorDetail {
  /** The runtime's kind of failure ('classes-file', 'model', 'wrong-model', ...), or 'other'. */
  readonly kind: ClassifierErrorKind | 'other';
  /** A sentence for the person using the page, also shown in the element. */
  readonly message: string;
}

export interface ClassifierReadyDetail {
  readonly labels: readonly string[];
  /** The model's id (e.g. mobilenet_v2_0.35). */
  readonly model: string;
}

/**
 * Classes taught in the app, used in any page: loads a classes file ("Export examples") and its model with the
 * runtime library, and with `camera` opens the camera, predicts every frame and shows the bars. It fires the same
 * `tm-prediction` and `tm-class-change` events as the app, with the same smoothing; a class's id is its label here.
 * A class's output (tone, sound, speech, message to other pages) plays when it becomes the top class.
 *
 * @fires tm-prediction - every frame: PredictionDetail (stable top class, smoothed and raw confidences).
 * @fires tm-class-change - the stable top class changed: ClassChangeDetail.
 * @fires tm-classifier-ready - the classes and the model are loaded: ClassifierReadyDetail.
 * @fires tm-classifier-error - the classes or the model cannot be used: ClassifierErrorDetail (also shown).
 * @fires tm-camera-error - from the inner camera (bubbles and is composed): the camera could not start.
 * @cssprop --tm-text - text colour
 * @cssprop --tm-danger - error text colour
 */
@customElement('tm-classifier')
export class TmClassifier extends LitElement {
  static override styles = classifierStyles;

  /** URL of the classes file (relative to the page). */
  @property() src: string | null = null;

  /** Open the camera and predict each of its frames. */
  @property({ type: Boolean }) camera = false;

  /** Folder of the models, one sub-folder per model as the app's mirror holds them; absent: the public hosts. */
  @property({ attribute: 'model-base-url' }) modelBaseUrl: string | null = null;

  /** Folder of TensorFlow.js's wasm binaries: embed on the wasm backend, as the app does; absent: TensorFlow.js's default. */
  @property({ attribute: 'wasm-base-url' }) wasmBaseUrl: string | null = null;

  /** How much the stable top class is smoothed: off, low (default) or high, as in the app. */
  @property({ converter: { fromAttribute: (value: string | null) => (isSmoothingLevel(value) ? value : DEFAULT_SMOOTHING) } })
  smoothing: SmoothingLevel = DEFAULT_SMOOTHING;

  /** Keep the classes' outputs silent. */
  @property({ type: Boolean }) muted = false;

  /** Stream source for the camera (default: the browser's getUserMedia). Set it before `camera` is. */
  @property({ attribute: false }) getUserMedia: GetUserMedia | undefined = undefined;

  @state() private statusNow: ClassifierStatus = 'idle';
  @state() private problem: string | null = null;
  @state() private loadedFraction: number | null = null;
  @state() private sensitivity = DEFAULT_UNKNOWN_SENSITIVITY;
  @state() private latestDetail: PredictionDetail | null = null;

  @query('tm-webcam') private webcam!: TmWebcam | null;

  private classifierNow: TeachableClassifier | null = null;
  private readonly stream = new PredictionStream((label) => label, DEFAULT_SMOOTHING);
  private readonly loop = new PredictionLoopController(this, () => this.cameraStep(), () => this.webcam?.video ?? null);
  private player: OutputPlayer | null = null;
  private devices: ReturnType<typeof browserDevices> | null = null;
  /** Bumped by every load and disconnect, so a load that finishes late is let go. */
  private generation = 0;

  get status(): ClassifierStatus {
    return this.statusNow;
  }

  /** The loaded classifier (classes, model), or null while loading or after an error. */
  get classifier(): TeachableClassifier | null {
    return this.classifierNow;
  }

  /** The last prediction's detail, or null before the first. */
  get latest(): PredictionDetail | null {
    return this.latestDetail;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('role')) this.setAttribute('role', 'group');
    if (!this.hasAttribute('aria-label')) this.setAttribute('aria-label', 'Classifier');
    this.devices = browserDevices(OUTPUT_CHANNEL);
    this.player = new OutputPlayer(this.devices, (message) => (this.problem = message));
    this.player.muted = this.muted;
    // Back on the page after leaving it: load again what was let go.
    if (this.hasUpdated && this.src) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation++;
    this.player?.stop();
    this.devices?.close();
    this.player = null;
    this.devices = null;
    void this.release();
  }

  /**
   * Classifies one image (or video frame) and reports it as a camera frame is reported: through the smoothing,
   * with the events. Rejects with a ClassifierError when nothing is loaded or the image cannot be read.
   */
  async classify(source: ImageSource): Promise<Classification> {
    const classifier = this.classifierNow;
    if (!classifier) throw new ClassifierError('options', 'No classes are loaded yet.');
    const result = await classifier.classify(source);
    if (classifier === this.classifierNow) this.report(result);
    return result;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('smoothing')) this.stream.smoothing = this.smoothing;
    if (changed.has('muted') && this.player) this.player.muted = this.muted;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src') || changed.has('modelBaseUrl')) void this.load();
    if (changed.has('camera') && !this.camera) this.stopPredicting();
  }

  override render() {
    const classes = this.classifierNow?.classes ?? [];
    const detail = this.latestDetail;
    return html`
      <p class="status" role="status" aria-live="polite">${this.statusText()}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.camera && this.statusNow !== 'error'
        ? html`<tm-webcam
            .getUserMedia=${this.getUserMedia}
            @tm-camera-ready=${this.startPredicting}
            @tm-camera-stopped=${this.stopPredicting}
            @tm-camera-error=${this.stopPredicting}
          ></tm-webcam>`
        : nothing}
      ${classes.length > 0
        ? html`<tm-confidence-bars
            .bars=${barValues(detail, classes.map((c) => ({ id: c.label, label: c.label, color: c.color })), false)}
            .topClassId=${detail?.classId ?? null}
            .unknown=${detail !== null && detail.rawClassId === null}
          ></tm-confidence-bars>
          <tm-unknown-control .sensitivity=${this.sensitivity} @tm-unknown-sensitivity-change=${this.onSensitivity}></tm-unknown-control>`
        : nothing}
    `;
  }

  private statusText(): string {
    if (this.statusNow !== 'loading') return '';
    const percent = this.loadedFraction === null ? '' : ` ${Math.round(this.loadedFraction * 100)}%`;
    return `Loading the classes and the model…${percent}`;
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    await this.release();
    if (generation !== this.generation) return;
    this.problem = null;
    if (!this.src) {
      this.statusNow = 'idle';
      return;
    }
    this.statusNow = 'loading';
    this.loadedFraction = null;
    let classifier: TeachableClassifier;
    try {
      classifier = await loadClassifier(this.src, {
        modelBaseUrl: this.modelBaseUrl,
        // Compiled while the classes are fetched. In the element only: the library's bundle stays without wasm.
        backendReady: this.wasmBaseUrl === null ? undefined : useRuntimeBackend(this.wasmBaseUrl),
        // With a camera, the first answer is shown before "none of these" is calibrated (the next frame is).
        calibrateAfterFirstAnswer: this.camera,
        unknownSensitivity: this.sensitivity,
        onProgress: (progress) => {
          if (generation === this.generation) this.loadedFraction = progress.fraction;
        },
      });
    } catch (error) {
      if (generation === this.generation) this.fail(error);
      return;
    }
    if (generation !== this.generation) {
      classifier.dispose();
      return;
    }
    this.classifierNow = classifier;
    this.statusNow = 'ready';
    this.dispatchEvent(
      new CustomEvent<ClassifierReadyDetail>('tm-classifier-ready', { detail: { labels: classifier.labels, model: classifier.model.id } }),
    );
    if (this.webcam?.video) this.startPredicting();
  }

  /** Stops predicting and lets the classifier go (after the step using it, if any, has finished). */
  private async release(): Promise<void> {
    const classifier = this.classifierNow;
    this.classifierNow = null;
    this.stopPredicting();
    await this.loop.idle();
    classifier?.dispose();
  }

  private fail(error: unknown): void {
    // A ClassifierError's message is written for people; anything else is not, so it is not shown as it is.
    const detail: ClassifierErrorDetail =
      error instanceof ClassifierError
        ? { kind: error.kind, message: error.message }
        : { kind: 'other', message: 'The classes could not be loaded. Check that the page and its files are complete, then reload it.' };
    this.statusNow = 'error';
    this.problem = detail.message;
    this.dispatchEvent(new CustomEvent<ClassifierErrorDetail>('tm-classifier-error', { detail, bubbles: true, composed: true }));
  }

  private readonly startPredicting = (): void => {
    if (this.classifierNow && this.camera) this.loop.start();
  };

  private readonly stopPredicting = (): void => {
    this.loop.stop();
    this.stream.reset();
    this.player?.stop();
    this.latestDetail = null;
  };

  private async cameraStep(): Promise<void> {
    const video = this.webcam?.video;
    const classifier = this.classifierNow;
    if (!video || !classifier) return;
    let result: Classification;
    try {
      result = await classifier.classify(video);
    } catch (error) {
      // A frame that cannot be read yet (the video between streams) is skipped; the next one is tried.
      if (error instanceof ClassifierError && error.kind === 'image') return;
      throw error;
    }
    if (classifier === this.classifierNow && this.loop.isRunning) this.report(result);
  }

  private report(result: Classification): void {
    const classifier = this.classifierNow!;
    const { prediction, change } = this.stream.push({
      mode: 'knn',
      votes: result.confidences.map((c) => ({ classId: c.label, confidence: c.confidence })),
      top: result.unknown ? null : result.label,
      time: Date.now(),
    });
    this.latestDetail = prediction;
    this.dispatchEvent(new CustomEvent<PredictionDetail>('tm-prediction', { detail: prediction }));
    if (!change) return;
    this.dispatchEvent(new CustomEvent<ClassChangeDetail>('tm-class-change', { detail: change }));
    if (change.label === null) return;
    const index = classifier.labels.indexOf(change.label);
    this.player?.play(classifier.classes[index].output, {
      classId: change.label,
      label: change.label,
      index,
      confidence: change.confidence,
      previousClassId: change.previousClassId,
      previousLabel: change.previousLabel,
      time: change.time,
    });
  }

  private readonly onSensitivity = (event: CustomEvent<UnknownSensitivityDetail>): void => {
    this.sensitivity = event.detail.sensitivity;
    this.classifierNow?.setUnknownSensitivity(this.sensitivity);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-classifier': TmClassifier;
  }
  interface HTMLElementEventMap {
    'tm-classifier-ready': CustomEvent<ClassifierReadyDetail>;
    'tm-classifier-error': CustomEvent<ClassifierErrorDetail>;
  }
}
