import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type CameraStatus = 'idle' | 'starting' | 'live' | 'error';

export type CameraErrorKind = 'denied' | 'not-found' | 'busy' | 'ended' | 'unsupported' | 'other';

export interface CameraError {
  readonly kind: CameraErrorKind;
  readonly message: string;
}

/** Same shape as `navigator.mediaDevices.getUserMedia`, so tests can hand over e.g. a canvas.captureStream(). */
export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

/** Same shape as `navigator.mediaDevices.enumerateDevices`. */
export type EnumerateDevices = () => Promise<MediaDeviceInfo[]>;

export interface CameraControllerOptions {
  /** Start the camera when the host connects (default true). */
  readonly autoStart?: boolean;
  readonly getUserMedia?: GetUserMedia;
  readonly enumerateDevices?: EnumerateDevices;
}

export const CAMERA_MESSAGES: Readonly<Record<Exclude<CameraErrorKind, 'other'>, string>> = {
  denied: "Camera access was blocked. Allow the camera in your browser's site settings, then press Retry.",
  'not-found': 'No camera was found. Connect a camera (or pick another one), then press Retry.',
  busy: 'The camera is in use by another program (a video call?). Close that program, then press Retry.',
  ended: 'The camera stopped (was it unplugged?). Press Retry to start it again.',
  unsupported:
    'This browser cannot open a camera on this page. Cameras only work on pages served over https or from ' +
    'localhost, in a browser that supports getUserMedia.',
};

const IDEAL_SIZE = { width: { ideal: 640 }, height: { ideal: 480 } } as const;

/** The front camera by default; exactly the picked one otherwise (facingMode would fight the choice). */
export function cameraConstraints(deviceId: string | null): MediaStreamConstraints {
  const video: MediaTrackConstraints = deviceId
    ? { deviceId: { exact: deviceId }, ...IDEAL_SIZE }
    : { facingMode: 'user', ...IDEAL_SIZE };
  return { video, audio: false };
}

/** Turns a getUserMedia rejection into something a person can act on. */
export function describeCameraError(error: unknown): CameraError {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return { kind: 'denied', message: CAMERA_MESSAGES.denied };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { kind: 'not-found', message: CAMERA_MESSAGES['not-found'] };
    case 'NotReadableError':
    case 'AbortError':
      return { kind: 'busy', message: CAMERA_MESSAGES.busy };
  }
  const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  return { kind: 'other', message: `The camera could not start (${detail || name || 'unknown error'}). Press Retry.` };
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/**
 * Owns a host element's camera stream: opens it when the host connects, releases every track when it
 * disconnects, and reports problems as a status the host can render.
 */
export class CameraController implements ReactiveController {
  status: CameraStatus = 'idle';
  error: CameraError | null = null;
  /** Video inputs, listed once permission is granted (before that their labels are blank). */
  devices: MediaDeviceInfo[] = [];
  /** The camera picked or in use; null means the default front camera. */
  deviceId: string | null = null;
  stream: MediaStream | null = null;
  autoStart: boolean;
  /** Injected stream source; the browser's getUserMedia when undefined. */
  getUserMedia: GetUserMedia | undefined;
  /** Injected device lister; the browser's enumerateDevices when undefined. */
  enumerateDevices: EnumerateDevices | undefined;

  /** Bumped by every start() and stop(), so a stream arriving for a superseded request is released. */
  private attempt = 0;
  private connected = false;
  private startWhenConnected = false;
  private permitted = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    options: CameraControllerOptions = {},
  ) {
    this.autoStart = options.autoStart ?? true;
    this.getUserMedia = options.getUserMedia;
    this.enumerateDevices = options.enumerateDevices;
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
    if (this.autoStart || this.startWhenConnected) void this.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    this.stop();
  }

  /**
   * Opens the camera (the given one, else the last one used). Never rejects: failures end in status 'error'.
   * Called before the host is on the page, it waits for the host to connect, so no stream can outlive it.
   */
  async start(deviceId: string | null = this.deviceId): Promise<void> {
    const attempt = ++this.attempt;
    this.deviceId = deviceId;
    if (!this.connected) {
      this.startWhenConnected = true;
      return;
    }
    this.startWhenConnected = false;
    this.release();
    this.status = 'starting';
    this.error = null;
    this.host.requestUpdate();

    const getUserMedia = this.getUserMedia ?? browserGetUserMedia();
    if (!getUserMedia) {
      this.fail({ kind: 'unsupported', message: CAMERA_MESSAGES.unsupported });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await getUserMedia(cameraConstraints(deviceId));
    } catch (error) {
      if (attempt === this.attempt) this.fail(describeCameraError(error));
      return;
    }
    if (attempt !== this.attempt) {
      stopTracks(stream);
      return;
    }
    this.stream = stream;
    for (const track of stream.getTracks()) track.addEventListener('ended', this.onTrackEnded);
    // The default camera's id is learnt from the track, so the picker can show which camera that is.
    this.deviceId = deviceId ?? stream.getVideoTracks()[0]?.getSettings().deviceId ?? null;
    this.status = 'live';
    this.permitted = true;
    this.host.requestUpdate();
    await this.refreshDevices();
  }

  /** Releases the camera (its light goes off). */
  stop(): void {
    this.attempt++;
    this.startWhenConnected = false;
    this.release();
    this.status = 'idle';
    this.error = null;
    this.host.requestUpdate();
  }

  /** Starts again after an error; a camera that vanished is replaced by the default one. */
  retry(): Promise<void> {
    const vanished = this.error?.kind === 'not-found' || this.error?.kind === 'ended';
    return this.start(vanished ? null : this.deviceId);
  }

  /** Re-reads the list of cameras (done after permission is granted and on `devicechange`). */
  async refreshDevices(): Promise<void> {
    const enumerate = this.enumerateDevices ?? browserEnumerateDevices();
    if (!enumerate) return;
    try {
      const all = await enumerate();
      this.devices = all.filter((device) => device.kind === 'videoinput');
    } catch {
      // Listing is only for the picker; the current camera keeps working without it.
      return;
    }
    this.host.requestUpdate();
  }

  private release(): void {
    if (!this.stream) return;
    for (const track of this.stream.getTracks()) track.removeEventListener('ended', this.onTrackEnded);
    stopTracks(this.stream);
    this.stream = null;
  }

  private fail(error: CameraError): void {
    this.release();
    this.status = 'error';
    this.error = error;
    this.host.requestUpdate();
  }

  private readonly onTrackEnded = (): void => {
    if (this.status === 'live') this.fail({ kind: 'ended', message: CAMERA_MESSAGES.ended });
  };

  private readonly onDeviceChange = (): void => {
    if (this.permitted) void this.refreshDevices();
  };
}

/** Absent outside secure contexts (plain http on another host) and in very old browsers. */
function browserGetUserMedia(): GetUserMedia | null {
  const media = navigator.mediaDevices;
  return typeof media?.getUserMedia === 'function' ? (constraints) => media.getUserMedia(constraints) : null;
}

function browserEnumerateDevices(): EnumerateDevices | null {
  const media = navigator.mediaDevices;
  return typeof media?.enumerateDevices === 'function' ? () => media.enumerateDevices() : null;
}
