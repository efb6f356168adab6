import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { capabilities } from '../../src/platform/capabilities';

/**
 * Runs an async step once per new camera frame (requestVideoFrameCallback) or per display frame
 * (requestAnimationFrame) and never starts a step before the previous one has finished, so frames are
 * dropped rather than queued when the step is slower than the camera.
 */
export class PredictionLoopController implements ReactiveController {
  private running = false;
  private inFlight: Promise<void> | null = null;
  private cancelScheduled: (() => void) | null = null;
  /** Wall time of the last step that handled a frame, in ms; null until one has (and after resetTiming). */
  lastStepMs: number | null = null;

  /** @param step resolves to false when it had no frame to handle (no model or camera yet): that is not timed. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly step: () => Promise<boolean | void>,
    private readonly video: () => HTMLVideoElement | null,
  ) {
    host.addController(this);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.cancelScheduled?.();
    this.cancelScheduled = null;
  }

  /** Resolves when no step is running (e.g. before the model a step uses is disposed). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  /** Forgets the last time (the model or camera changed, so it no longer says how fast frames go). */
  resetTiming(): void {
    this.lastStepMs = null;
  }

  hostDisconnected(): void {
    this.stop();
  }

  private schedule(): void {
    if (!this.running || this.cancelScheduled) return;
    const video = this.video();
    if (video && capabilities().videoFrameCallback) {
      const handle = video.requestVideoFrameCallback(() => this.tick());
      this.cancelScheduled = () => video.cancelVideoFrameCallback(handle);
    } else {
      const handle = requestAnimationFrame(() => this.tick());
      this.cancelScheduled = () => cancelAnimationFrame(handle);
    }
  }

  private tick(): void {
    this.cancelScheduled = null;
    if (!this.running || this.inFlight) return;
    const started = performance.now();
    this.inFlight = this.step()
      .then((handled) => {
        if (handled !== false) this.lastStepMs = performance.now() - started;
      })
      .catch((error: unknown) => console.error('Prediction step failed:', error))
      .finally(() => {
        this.inFlight = null;
        this.host.requestUpdate();
        this.schedule();
      });
  }
}
