import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Teachable } from '../../src/app/teachable';
import { RecordingRate } from '../../src/app/timed-recording';
import { RecordTap } from './record-tap';

/** What a quick tap on a record button says once it has recorded its one frame. */
export function tapNotice(label: string): string {
  return `One example of "${label}" recorded. Hold the button down to record one every frame.`;
}

export interface RecordingControllerOptions {
  /** Whether the camera gives frames (there is nothing to record without them). */
  readonly cameraRunning: () => boolean;
  /** Every class card under the host, to end their countdowns and timed recordings. */
  readonly cards: () => Iterable<{ cancelRecording(): void }>;
  readonly addNotice: (message: string) => void;
  readonly dismissNotice: (message: string) => void;
  /** Told when a class starts and stops recording (the "Delete the last 2 seconds" offer). */
  readonly started: (classId: string) => void;
  readonly ended: (classId: string) => void;
}

/**
 * Which class the frames are recorded into: the record buttons' holds, countdowns and timed recordings, the cap on
 * examples a second, a quick tap's one frame, and what stops a recording (camera failure, the class deleted, an
 * import). The host binds the card events to the handlers here and asks `recordTo` on each frame.
 */
export class RecordingController implements ReactiveController {
  /** The class being recorded into, or null. */
  classId: string | null = null;
  /** The class whose countdown is running (hold to record off), if any. */
  private countdownClassId: string | null = null;
  /** The cap on examples a second while recording. */
  private readonly rate: RecordingRate;
  /** A tap too quick to record a frame records the next one, then stops and says so. */
  private readonly tap = new RecordTap((classId) => {
    this.setClass(this.classId === classId ? null : this.classId);
    this.options.ended(classId);
    const label = this.teachable.classes.find((c) => c.id === classId)?.label;
    if (label === undefined) return;
    this.tapHint = tapNotice(label);
    this.options.addNotice(this.tapHint);
  });
  /** The quick-tap notice shown, if any. */
  private tapHint: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly options: RecordingControllerOptions,
  ) {
    this.rate = new RecordingRate(teachable.recordingSettings.framesPerSecond);
    host.addController(this);
  }

  /** A removed app records nothing more. */
  hostDisconnected(): void {
    this.stop();
  }

  /** The class this frame goes to (null: none), within the examples-a-second cap. */
  recordTo(now: number): string | null {
    this.rate.rate = this.teachable.recordingSettings.framesPerSecond;
    return this.classId !== null && this.rate.take(now) ? this.classId : null;
  }

  /** A frame was recorded into `classId`. */
  recorded(classId: string): void {
    this.tap.recorded(classId);
  }

  onStart = (e: CustomEvent<{ classId: string }>): void => {
    if (!this.teachable.hasClass(e.detail.classId)) return;
    if (!this.refuseWithoutCamera(e)) return;
    this.countdownClassId = null;
    this.rate.reset();
    this.setClass(e.detail.classId);
    this.options.started(e.detail.classId);
    this.tap.started(e.detail.classId);
    // The next hold shows the user knows how: the hint has done its work.
    if (this.tapHint) this.options.dismissNotice(this.tapHint);
    this.tapHint = null;
  };

  onCountdown = (e: CustomEvent<{ classId: string }>): void => {
    if (this.refuseWithoutCamera(e)) this.countdownClassId = e.detail.classId;
  };

  onCancel = (e: CustomEvent<{ classId: string }>): void => {
    if (this.countdownClassId === e.detail.classId) this.countdownClassId = null;
  };

  onEnd = (e: CustomEvent<{ classId: string }>): void => {
    if (this.tap.ended(e.detail.classId)) return;
    if (this.classId === e.detail.classId) this.setClass(null);
    this.options.ended(e.detail.classId);
  };

  /** The camera failed: any recording or countdown stops, and the page says which. */
  cameraFailed(): void {
    const stopped = this.countdownClassId ?? this.classId;
    if (stopped !== null) {
      const label = this.teachable.classes.find((c) => c.id === stopped)?.label ?? '';
      this.options.addNotice(`Recording of "${label}" stopped: the camera failed.`);
    }
    this.stop();
  }

  /** Called before a class is deleted: its recording or countdown stops, and the page says so. */
  classDeleted(classId: string, label: string): void {
    if (this.classId === classId) {
      this.setClass(null);
      this.options.addNotice(`Recording stopped: "${label}" was deleted.`);
    }
    if (this.countdownClassId === classId) {
      this.countdownClassId = null;
      this.options.addNotice(`Countdown cancelled: "${label}" was deleted.`);
    }
  }

  /** Stops every recording and countdown (each card fires its own end or cancel). */
  stop(): void {
    this.tap.cancel();
    for (const card of this.options.cards()) card.cancelRecording();
    this.setClass(null);
    this.countdownClassId = null;
  }

  /** False (and the card's countdown or timed recording ended, with a message) when the camera gives no frames. */
  private refuseWithoutCamera(e: CustomEvent<{ classId: string }>): boolean {
    if (this.options.cameraRunning()) return true;
    this.options.addNotice('The camera is not running, so there is nothing to record yet.');
    // The card that fired: the event may be heard outside the shadow root that holds the cards.
    (e.composedPath()[0] as { cancelRecording?(): void } | undefined)?.cancelRecording?.();
    return false;
  }

  private setClass(classId: string | null): void {
    if (this.classId === classId) return;
    this.classId = classId;
    this.host.requestUpdate();
  }
}
