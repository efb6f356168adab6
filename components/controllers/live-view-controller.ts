import type { ReactiveControllerHost } from 'lit';
import type { DenseHeadPrediction } from '../../src/classifier/dense-head/dense-head';
import type { KnnPrediction } from '../../src/classifier/knn/knn';
import type { PredictionDetail } from '../../src/pipeline/prediction-stream';

/** What one frame shows: the bars of each classifier and the stable top class. */
export interface LiveFrame {
  readonly knn: KnnPrediction | null;
  readonly dense: DenseHeadPrediction | null;
  /** The frame is "none of these": no bars name a class. */
  readonly unknown: boolean;
  /** The prediction stream after this frame (smoothed confidences, the stable class); null before any frame. */
  readonly stream: PredictionDetail | null;
}

/** Before the first frame, and once frames stop. */
export const NO_FRAME: LiveFrame = { knn: null, dense: null, unknown: false, stream: null };

/** The elements that show what changes every frame; null while not in the page. */
export interface LiveViews {
  readonly bars: { knn: KnnPrediction | null; dense: DenseHeadPrediction | null; unknown: boolean; stream: PredictionDetail | null } | null;
  readonly classes: { activeClassId: string | null } | null;
  readonly frameTime: { frameMs: number | null } | null;
}

/** How often the frame time shown changes at most: often enough to follow, seldom enough to read. */
export const FRAME_TIME_EVERY_MS = 500;

/**
 * Shows each frame without rendering the host again: the frame's bars go to the bars' element, the stable class to
 * the class list (which updates only the cards it changes), and the prediction loop's frame time to the model panel,
 * at most every FRAME_TIME_EVERY_MS. The host binds the same values (`frame`, `frameMs`) in its own render, which runs
 * only when what it shows otherwise changes (classes, examples, settings), so both agree.
 */
export class LiveViewController {
  /** The frame shown. */
  frame: LiveFrame = NO_FRAME;
  /** The frame time shown, in ms; null for none yet. */
  frameMs: number | null = null;
  private frameMsShownAt = -Infinity;

  /**
   * The host to give the prediction loop: the loop asks it for an update after each step, which here only updates
   * the frame time (and the host when a frame time first appears or goes).
   */
  readonly loopHost: ReactiveControllerHost;

  /**
   * @param views the host's elements that show the frame.
   * @param stepMs the prediction loop's time of its last step, null when there is none.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly views: () => LiveViews,
    private readonly stepMs: () => number | null,
  ) {
    this.loopHost = {
      addController: (controller) => host.addController(controller),
      removeController: (controller) => host.removeController(controller),
      requestUpdate: () => this.stepped(),
      get updateComplete() {
        return host.updateComplete;
      },
    };
  }

  /** Shows one frame. */
  show(frame: LiveFrame): void {
    this.frame = frame;
    const { bars, classes } = this.views();
    if (bars) {
      bars.knn = frame.knn;
      bars.dense = frame.dense;
      bars.unknown = frame.unknown;
      bars.stream = frame.stream;
    }
    if (classes) classes.activeClassId = frame.stream?.classId ?? null;
  }

  /** Frames stopped (no camera, no model, the classes cleared): no frame is shown, nor a time the loop forgot. */
  clear(): void {
    this.show(NO_FRAME);
    this.stepped();
  }

  private stepped(): void {
    const ms = this.stepMs();
    const now = performance.now();
    if ((ms === null) !== (this.frameMs === null)) {
      // The first frame time, or none any more: more than the model panel changes (the first-run steps).
      this.frameMs = ms;
      this.frameMsShownAt = now;
      this.host.requestUpdate();
      return;
    }
    if (ms === null || ms === this.frameMs || now - this.frameMsShownAt < FRAME_TIME_EVERY_MS) return;
    this.frameMs = ms;
    this.frameMsShownAt = now;
    const panel = this.views().frameTime;
    if (panel) panel.frameMs = ms;
  }
}
