/**
 * Recording without holding a button: the settings (hold or click, countdown, duration, frame-rate cap) and the
 * timing of one click's recording (a countdown, then a timed capture), with the clock handed in so it runs without a
 * DOM and tests can step it.
 */

export interface RecordingSettings {
  /** True: record while the button is held. False: a click counts down, then records for `durationSeconds`. */
  readonly holdToRecord: boolean;
  /** Seconds counted down before a click's recording starts: whole numbers 0 to 10. */
  readonly countdownSeconds: number;
  /** Seconds a click records for: whole numbers 1 to 60. */
  readonly durationSeconds: number;
  /** At most this many examples a second, held or timed: whole numbers 1 to 60 (Teachable Machine 2 records 24). */
  readonly framesPerSecond: number;
}

export const DEFAULT_RECORDING: RecordingSettings = { holdToRecord: true, countdownSeconds: 3, durationSeconds: 5, framesPerSecond: 24 };

/** The range each number takes, for the settings' inputs and their checks. */
export const RECORDING_LIMITS = {
  countdownSeconds: { min: 0, max: 10 },
  durationSeconds: { min: 1, max: 60 },
  framesPerSecond: { min: 1, max: 60 },
} as const;

type NumberSetting = keyof typeof RECORDING_LIMITS;

/** What is wrong with each setting, by name; empty when all are valid. */
export function recordingProblems(settings: RecordingSettings): Partial<Record<keyof RecordingSettings, string>> {
  const problems: Partial<Record<keyof RecordingSettings, string>> = {};
  if (typeof settings.holdToRecord !== 'boolean') problems.holdToRecord = 'on or off';
  for (const name of Object.keys(RECORDING_LIMITS) as NumberSetting[]) {
    const { min, max } = RECORDING_LIMITS[name];
    const value = settings[name];
    if (!(Number.isInteger(value) && value >= min && value <= max)) problems[name] = `a whole number from ${min} to ${max}`;
  }
  return problems;
}

/** A copy holding only the known fields, or a RangeError naming every bad one. */
export function recordingOf(settings: RecordingSettings): RecordingSettings {
  const problems = Object.entries(recordingProblems(settings));
  if (problems.length) throw new RangeError(problems.map(([name, problem]) => `${name} takes ${problem}.`).join(' '));
  const { holdToRecord, countdownSeconds, durationSeconds, framesPerSecond } = settings;
  return { holdToRecord, countdownSeconds, durationSeconds, framesPerSecond };
}

export type TimedPhase = 'idle' | 'countdown' | 'recording';

/** Where a timed recording is: its phase and the whole seconds left in it (rounded up, as a countdown reads). */
export interface TimedState {
  readonly phase: TimedPhase;
  readonly secondsLeft: number;
}

export const IDLE: TimedState = { phase: 'idle', secondsLeft: 0 };

/**
 * One click's recording: `start` at a time, then `at(now)` says the phase; the recording begins when the countdown
 * ends and stops `durationSeconds` later. Nothing here waits: the caller ticks it.
 */
export class TimedRecording {
  private startedAt: number | null = null;

  constructor(
    private readonly countdownMs: number,
    private readonly durationMs: number,
  ) {}

  static of(settings: Pick<RecordingSettings, 'countdownSeconds' | 'durationSeconds'>): TimedRecording {
    return new TimedRecording(settings.countdownSeconds * 1000, settings.durationSeconds * 1000);
  }

  get running(): boolean {
    return this.startedAt !== null;
  }

  start(now: number): void {
    this.startedAt = now;
  }

  cancel(): void {
    this.startedAt = null;
  }

  at(now: number): TimedState {
    if (this.startedAt === null) return IDLE;
    const elapsed = Math.max(0, now - this.startedAt);
    if (elapsed < this.countdownMs) return { phase: 'countdown', secondsLeft: Math.ceil((this.countdownMs - elapsed) / 1000) };
    const recorded = elapsed - this.countdownMs;
    if (recorded < this.durationMs) return { phase: 'recording', secondsLeft: Math.ceil((this.durationMs - recorded) / 1000) };
    return IDLE;
  }

  /** Milliseconds from `now` until the state `at` reports next changes (a second boundary, or the end); null once idle. */
  untilNextChange(now: number): number | null {
    if (this.startedAt === null) return null;
    const elapsed = Math.max(0, now - this.startedAt);
    const end = this.countdownMs + this.durationMs;
    if (elapsed >= end) return null;
    const phaseStart = elapsed < this.countdownMs ? 0 : this.countdownMs;
    const phaseEnd = elapsed < this.countdownMs ? this.countdownMs : end;
    // The seconds count down from the phase's end, so the next change is at the next whole second before it.
    const toEnd = phaseEnd - elapsed;
    const toSecond = toEnd % 1000 || 1000;
    return Math.max(1, Math.min(toEnd, toSecond, phaseEnd - phaseStart));
  }
}

/**
 * The frame-rate cap: `take(now)` says whether a frame at `now` may be recorded, at most `framesPerSecond` a second
 * on average. Each kept frame makes the next one due an interval after the one before it (not after `now`), so a
 * camera a little faster than the cap is thinned to the cap rather than to half its own rate; a gap longer than an
 * interval starts the schedule again.
 */
export class RecordingRate {
  private due = Number.NEGATIVE_INFINITY;

  constructor(private framesPerSecond: number) {}

  set rate(framesPerSecond: number) {
    this.framesPerSecond = framesPerSecond;
  }

  take(now: number): boolean {
    if (now < this.due) return false;
    const interval = 1000 / this.framesPerSecond;
    this.due = now - this.due > interval ? now + interval : this.due + interval;
    return true;
  }

  /** The next recording starts with its first frame. */
  reset(): void {
    this.due = Number.NEGATIVE_INFINITY;
  }
}
