import { LitElement, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import {
  CameraController,
  type CameraError,
  type CameraStatus,
  type EnumerateDevices,
  type GetUserMedia,
} from './controllers/camera-controller';
import { webcamStyles } from './tm-webcam.styles';

export type CameraErrorDetail = CameraError;

/**
 * A square camera preview with a camera picker and recoverable error messages.
 *
 * The preview shows exactly the pixels the model gets: `object-fit: cover` crops the centre square as
 * `centreSquare` in src/camera/frame.ts does, and `mirrored` flips it as FrameGrabber does.
 *
 * @fires tm-camera-ready - the video has its first frame (`video` is now non-null)
 * @fires tm-camera-error - the camera could not start or stopped; detail {kind, message}
 * @fires tm-camera-stopped - the camera was released by stop() or by the element leaving the page
 * @cssprop --tm-accent - focus ring and button colour
 * @cssprop --tm-surface - viewport background
 * @cssprop --tm-text - text colour
 * @cssprop --tm-danger - error text colour
 */
@customElement('tm-webcam')
export class TmWebcam extends LitElement {
  static override styles = webcamStyles;

  /**
   * Mirror the preview, as a front camera is usually shown. It defaults to true, so an absent attribute
   * cannot turn it off: bind `.mirrored=${false}`, or set the attribute `mirrored="false"`.
   */
  @property({ converter: { fromAttribute: (value: string | null) => value !== null && value !== 'false' } })
  mirrored = true;

  /** Wait for start() instead of opening the camera when the element is added to the page. */
  @property({ type: Boolean, attribute: 'manual-start' }) manualStart = false;

  @query('video') private videoElement!: HTMLVideoElement | null;

  private readonly camera = new CameraController(this);
  /** The stream whose first frame has been announced with camera-ready. */
  private readyStream: MediaStream | null = null;
  private lastStatus: CameraStatus = 'idle';
  private lastError: CameraError | null = null;

  /** Stream source (defaults to the browser's getUserMedia). Set it before the element connects to use it first. */
  get getUserMedia(): GetUserMedia | undefined {
    return this.camera.getUserMedia;
  }
  set getUserMedia(value: GetUserMedia | undefined) {
    this.camera.getUserMedia = value;
  }

  /** Device lister for the picker (defaults to the browser's enumerateDevices). */
  get enumerateDevices(): EnumerateDevices | undefined {
    return this.camera.enumerateDevices;
  }
  set enumerateDevices(value: EnumerateDevices | undefined) {
    this.camera.enumerateDevices = value;
  }

  get status(): CameraStatus {
    return this.camera.status;
  }

  get error(): CameraError | null {
    return this.camera.error;
  }

  get devices(): readonly MediaDeviceInfo[] {
    return this.camera.devices;
  }

  get deviceId(): string | null {
    return this.camera.deviceId;
  }

  /** The video element, only while it has a frame to read (readyState >= HAVE_CURRENT_DATA). */
  get video(): HTMLVideoElement | null {
    const video = this.videoElement;
    if (!video || this.camera.status !== 'live' || video.srcObject !== this.camera.stream) return null;
    return video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA ? video : null;
  }

  start(deviceId?: string | null): Promise<void> {
    return this.camera.start(deviceId);
  }

  stop(): void {
    this.camera.stop();
  }

  retry(): Promise<void> {
    return this.camera.retry();
  }

  override connectedCallback(): void {
    // Read before super, which runs the controller's hostConnected.
    this.camera.autoStart = !this.manualStart;
    super.connectedCallback();
  }

  override render() {
    const { status, error, devices, deviceId } = this.camera;
    const waiting = status === 'starting' || (status === 'live' && this.readyStream !== this.camera.stream);
    return html`
      <div class="viewport" part="viewport">
        <!-- Firefox makes a video a tab stop, and Tab then stays on it: the preview has nothing to operate. -->
        <video
          class=${this.mirrored ? 'mirrored' : ''}
          aria-label="Camera preview"
          tabindex="-1"
          playsinline
          muted
          autoplay
          .muted=${true}
          @loadeddata=${this.onLoadedData}
        ></video>
        <div class="overlay ${status === 'live' && !waiting ? 'clear' : ''}">
          <p class=${waiting ? 'starting' : ''} role="status">
            ${waiting ? 'Starting the camera…' : status === 'idle' ? 'The camera is off.' : ''}
          </p>
          ${status === 'error' && error
            ? html`<p class="error" role="alert">${error.message}</p>
                <button type="button" @click=${this.onRetry}>Retry</button>`
            : nothing}
        </div>
      </div>
      ${devices.length >= 2
        ? html`<div class="picker">
            <label for="camera-picker">Camera</label>
            <select id="camera-picker" @change=${this.onPick}>
              ${devices.map(
                (device, i) =>
                  html`<option value=${device.deviceId} .selected=${device.deviceId === deviceId}>
                    ${device.label || `Camera ${i + 1}`}
                  </option>`,
              )}
            </select>
          </div>`
        : nothing}
    `;
  }

  protected override updated(): void {
    this.attachStream();
    const { status, error } = this.camera;
    if (error && error !== this.lastError) {
      this.dispatchEvent(
        new CustomEvent<CameraErrorDetail>('tm-camera-error', {
          detail: { kind: error.kind, message: error.message },
          bubbles: true,
          composed: true,
        }),
      );
    }
    // A switch of camera goes live -> starting; only a release to idle means the camera is off.
    if (status === 'idle' && (this.lastStatus === 'live' || this.lastStatus === 'starting')) {
      this.dispatchEvent(new CustomEvent('tm-camera-stopped', { bubbles: true, composed: true }));
    }
    this.lastStatus = status;
    this.lastError = error;
  }

  private attachStream(): void {
    const video = this.videoElement;
    const stream = this.camera.stream;
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (stream !== this.readyStream) this.readyStream = null;
    // play() rejects when a newer srcObject interrupts it; autoplay covers the rest.
    if (stream) video.play().catch(() => undefined);
  }

  private onLoadedData = (): void => {
    const stream = this.camera.stream;
    if (!stream || this.videoElement?.srcObject !== stream || this.readyStream === stream) return;
    this.readyStream = stream;
    this.requestUpdate();
    this.dispatchEvent(new CustomEvent('tm-camera-ready', { bubbles: true, composed: true }));
  };

  private onRetry = (): void => {
    void this.camera.retry();
  };

  private onPick = (event: Event): void => {
    const select = event.target as HTMLSelectElement;
    void this.camera.start(select.value);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-webcam': TmWebcam;
  }
  interface HTMLElementEventMap {
    'tm-camera-ready': CustomEvent<void>;
    'tm-camera-error': CustomEvent<CameraErrorDetail>;
    'tm-camera-stopped': CustomEvent<void>;
  }
}
