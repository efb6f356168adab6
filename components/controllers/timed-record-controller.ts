import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IDLE, TimedRecording, type RecordingSettings, type TimedState } from '../../src/app/timed-recording';

export interface TimedRecordCallbacks {
  /** The countdown began (also when it lasts 0 s, just before onStart). */
  onCountdown(): void;
  /** The recording began: the countdown ended. */
  onStart(): void;
  /** The recording ended, by its time or cancelled; always follows onStart. */
  onEnd(): void;
  /** Cancelled before the recording began (Escape, a second click, `cancel()`, or the host leaving the page). */
  onCancelled(): void;
}

/** The clock the controller waits with; the page's by default, a stepped one in tests. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

const PAGE_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle),
};

/**
 * A click's recording for a host element: `toggle()` starts a countdown then a timed recording (TimedRecording,
 * src/app/timed-recording.ts), or cancels the one running; Escape anywhere on the page cancels it too, as does the
 * host leaving the page. The host re-renders at each second, reading `state`.
 */
export class TimedRecordController implements ReactiveController {
  private timed: TimedRecording | null = null;
  private current: TimedState = IDLE;
  private timer: number | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly callbacks: TimedRecordCallbacks,
    private readonly clock: Clock = PAGE_CLOCK,
  ) {
    host.addController(this);
  }

  get state(): TimedState {
    return this.current;
  }

  get running(): boolean {
    return this.current.phase !== 'idle';
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** Starts a countdown with `settings`, or cancels the recording under way. */
  toggle(settings: Pick<RecordingSettings, 'countdownSeconds' | 'durationSeconds'>): void {
    if (this.running) {
      this.cancel();
      return;
    }
    this.timed = TimedRecording.of(settings);
    this.timed.start(this.clock.now());
    window.addEventListener('keydown', this.onKeyDown);
    this.callbacks.onCountdown();
    this.tick();
  }

  /** Stops what is running: a countdown is dropped (onCancelled), a recording ends (onEnd). Nothing when idle. */
  cancel(): void {
    if (!this.running) return;
    const was = this.current.phase;
    this.finish();
    if (was === 'recording') this.callbacks.onEnd();
    else this.callbacks.onCancelled();
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.cancel();
  };

  private tick = (): void => {
    this.timer = null;
    if (!this.timed) return;
    const now = this.clock.now();
    const next = this.timed.at(now);
    const before = this.current.phase;
    this.current = next;
    this.host.requestUpdate();
    if (before !== 'recording' && next.phase === 'recording') {
      this.callbacks.onStart();
      // The start's listener may have cancelled it (no camera).
      if (!this.timed) return;
    }
    if (next.phase === 'idle') {
      this.finish();
      if (before === 'recording') this.callbacks.onEnd();
      // The page slept through the whole recording (a background tab): nothing was recorded.
      else this.callbacks.onCancelled();
      return;
    }
    const wait = this.timed.untilNextChange(now);
    if (wait !== null) this.timer = this.clock.setTimeout(this.tick, wait);
  };

  private finish(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timed = null;
    this.current = IDLE;
    window.removeEventListener('keydown', this.onKeyDown);
    this.host.requestUpdate();
  }
}
