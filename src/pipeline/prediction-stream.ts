/**
 * Turns per-frame predictions into a steady stream: confidences smoothed over recent frames, and a stable
 * top class that changes only when another class has led clearly for a few frames, so noise does not make
 * it flicker between two classes. Framework-free; the app turns its output into DOM events.
 */
import type { DenseHeadPrediction } from '../classifier/dense-head/dense-head';
import type { KnnPrediction } from '../classifier/knn/knn';

/** How much the stable class is smoothed: 'off' follows every frame's own top class. */
export type SmoothingLevel = 'off' | 'low' | 'high';

export const SMOOTHING_LEVELS: readonly SmoothingLevel[] = ['off', 'low', 'high'];
export const DEFAULT_SMOOTHING: SmoothingLevel = 'low';

export interface SmoothingParameters {
  /** Weight of the newest frame in the moving average (1: no averaging). */
  readonly alpha: number;
  /** How far (in confidence, 0 to 1) a challenger's average must lead the stable class's. */
  readonly margin: number;
  /** Frames in a row the challenger must lead by `margin` before it becomes the stable class. */
  readonly holdFrames: number;
}

/** Measured on real webcam frames: see the README (Events) for the flickers removed and the delay added. */
export const SMOOTHING: Readonly<Record<SmoothingLevel, SmoothingParameters>> = {
  off: { alpha: 1, margin: 0, holdFrames: 1 },
  low: { alpha: 0.5, margin: 0.05, holdFrames: 2 },
  high: { alpha: 0.3, margin: 0.1, holdFrames: 4 },
};

export function isSmoothingLevel(value: unknown): value is SmoothingLevel {
  return typeof value === 'string' && (SMOOTHING_LEVELS as readonly string[]).includes(value);
}

/** What any classifier mode gives for one frame. */
export interface StreamFrame {
  /** Which classifier made it ('knn', 'dense', ...). */
  readonly mode: string;
  /** One per class, confidences from 0 to 1. */
  readonly votes: readonly { readonly classId: string; readonly confidence: number }[];
  /** This frame's own top class, or null when it is unknown (no class, or none close enough). */
  readonly top: string | null;
  /** When the frame was predicted, in ms since the epoch. */
  readonly time: number;
}

export interface StreamConfidence {
  readonly classId: string;
  readonly label: string;
  /** Smoothed over recent frames. */
  readonly confidence: number;
  /** This frame's own value. */
  readonly raw: number;
}

/** The `tm-prediction` event's detail, one per frame. */
export interface PredictionDetail {
  /** The stable top class, or null when unknown. */
  readonly classId: string | null;
  readonly label: string | null;
  /** This frame's own top class (what a stream without smoothing would show). */
  readonly rawClassId: string | null;
  readonly confidences: readonly StreamConfidence[];
  readonly mode: string;
  readonly time: number;
}

/** The `tm-class-change` event's detail: the stable top class changed. */
export interface ClassChangeDetail {
  readonly classId: string | null;
  readonly label: string | null;
  readonly previousClassId: string | null;
  readonly previousLabel: string | null;
  /** The new class's smoothed confidence (0 when unknown). */
  readonly confidence: number;
  readonly time: number;
}

export interface StreamStep {
  readonly prediction: PredictionDetail;
  /** Set on the frames where the stable class changed. */
  readonly change: ClassChangeDetail | null;
}

/** One bar: a class's confidence as the bars show it (smoothed, or this frame's own), in the class's colour. */
export interface BarValue {
  readonly classId: string;
  readonly label: string;
  /** 0 to 1. */
  readonly confidence: number;
  /** The class's stored colour (`#rrggbb`), as its card shows it. */
  readonly color: string;
  /** The class is turned off: it takes no part in the prediction, and its bar says so. */
  readonly off?: boolean;
}

/**
 * The frame the stream gets from the classifier `mode` shows: the dense head's in 'dense' (null while there is no
 * head for this model), else the k-NN's. Either way the top class is null when the frame is unknown: "unknown" is
 * how far the frame is from every example, whichever classifier names the class, so one setting governs both.
 */
export function streamFrameOf(
  mode: string,
  knn: KnnPrediction,
  unknown: boolean,
  dense: DenseHeadPrediction | null,
  time: number,
): StreamFrame | null {
  if (mode === 'dense') return dense ? { mode, votes: dense.confidences, top: unknown ? null : dense.classId, time } : null;
  return { mode, votes: knn.votes, top: unknown ? null : knn.classId, time };
}

/** What a bar shows of a class. */
export interface BarClass {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  /** A disabled class: it takes no part in the vote, and its bar shows 0, marked off. */
  readonly disabled?: true;
}

/** Bar values for `classes` from a frame's detail: smoothed, or the frame's own when `raw`; 0 with no frame. */
export function barValues(detail: PredictionDetail | null, classes: readonly BarClass[], raw: boolean): BarValue[] {
  return voteBarValues(
    detail?.confidences.map((c) => ({ classId: c.classId, confidence: raw ? c.raw : c.confidence })),
    classes,
  );
}

/**
 * Bar values for `classes` from one frame's own votes, for a classifier the stream does not follow (the dense head
 * beside the k-NN): 0 for a class without a vote (one added after the head was trained) and with no frame.
 */
export function voteBarValues(votes: StreamFrame['votes'] | undefined, classes: readonly BarClass[]): BarValue[] {
  const values = new Map(votes?.map((v) => [v.classId, v.confidence]));
  return classes.map((c) => ({
    classId: c.id,
    label: c.label,
    confidence: c.disabled ? 0 : (values.get(c.id) ?? 0),
    color: c.color,
    ...(c.disabled ? { off: true } : {}),
  }));
}

export class PredictionStream {
  /** The last frame's detail, or null before the first frame and after a reset. */
  latest: PredictionDetail | null = null;
  private averages = new Map<string, number>();
  private stableId: string | null = null;
  /** The stable class's label as last seen, for the change away from a class that has since been deleted. */
  private stableLabel: string | null = null;
  private challenger: { readonly classId: string | null; frames: number } | null = null;
  private level: SmoothingLevel;

  /** @param labelOf a class's current label (labels can change while the stream runs). */
  constructor(
    private readonly labelOf: (classId: string) => string | null,
    level: SmoothingLevel = DEFAULT_SMOOTHING,
  ) {
    this.level = level;
  }

  get stableClassId(): string | null {
    return this.stableId;
  }

  /** How much the stable top class is smoothed. */
  get smoothing(): SmoothingLevel {
    return this.level;
  }

  /** Takes effect from the next frame; the averages so far are kept. */
  set smoothing(level: SmoothingLevel) {
    this.level = level;
  }

  /** Forgets everything (no stable class, no averages) without reporting a change: frames stopped. */
  reset(): void {
    this.latest = null;
    this.averages = new Map();
    this.stableId = null;
    this.stableLabel = null;
    this.challenger = null;
  }

  push(frame: StreamFrame): StreamStep {
    const { alpha } = SMOOTHING[this.level];
    const averages = new Map<string, number>();
    for (const { classId, confidence } of frame.votes) {
      const before = this.averages.get(classId);
      averages.set(classId, before === undefined ? confidence : before + alpha * (confidence - before));
    }
    // Classes that are gone (deleted) drop out of the averages with their votes.
    this.averages = averages;

    const previousId = this.stableId;
    const previousLabel = previousId === null ? null : (this.labelOf(previousId) ?? this.stableLabel);
    const stableGone = previousId !== null && !averages.has(previousId);
    const candidate = frame.top === null ? null : this.leader();
    if (stableGone) this.switchTo(candidate);
    else this.consider(candidate);

    const confidences = frame.votes.map(({ classId, confidence }) => ({
      classId,
      label: this.labelOf(classId) ?? classId,
      confidence: averages.get(classId) ?? confidence,
      raw: confidence,
    }));
    const prediction: PredictionDetail = {
      classId: this.stableId,
      label: this.labelFor(this.stableId),
      rawClassId: frame.top,
      confidences,
      mode: frame.mode,
      time: frame.time,
    };
    const change: ClassChangeDetail | null =
      this.stableId === previousId
        ? null
        : {
            classId: this.stableId,
            label: prediction.label,
            previousClassId: previousId,
            previousLabel,
            confidence: this.stableId === null ? 0 : (averages.get(this.stableId) ?? 0),
            time: frame.time,
          };
    this.stableLabel = prediction.label;
    this.latest = prediction;
    return { prediction, change };
  }

  /** The class with the highest average (the first of equals). */
  private leader(): string | null {
    let best: string | null = null;
    let bestValue = -Infinity;
    for (const [classId, value] of this.averages) {
      if (value > bestValue) {
        best = classId;
        bestValue = value;
      }
    }
    return best;
  }

  private consider(candidate: string | null): void {
    if (candidate === this.stableId) {
      this.challenger = null;
      return;
    }
    if (!this.leads(candidate)) {
      this.challenger = null;
      return;
    }
    const frames = this.challenger?.classId === candidate ? this.challenger.frames + 1 : 1;
    this.challenger = { classId: candidate, frames };
    if (frames >= SMOOTHING[this.level].holdFrames) this.switchTo(candidate);
  }

  /** Whether `candidate` leads the stable class by the margin; "unknown" and "nothing yet" need only persist. */
  private leads(candidate: string | null): boolean {
    if (candidate === null || this.stableId === null) return true;
    const challenger = this.averages.get(candidate) ?? 0;
    const stable = this.averages.get(this.stableId) ?? 0;
    return challenger >= stable + SMOOTHING[this.level].margin;
  }

  private switchTo(classId: string | null): void {
    this.stableId = classId;
    this.challenger = null;
  }

  private labelFor(classId: string | null): string | null {
    return classId === null ? null : (this.labelOf(classId) ?? classId);
  }
}
