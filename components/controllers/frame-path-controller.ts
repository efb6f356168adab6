import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Teachable } from '../../src/app/teachable';
import type { Embedder } from '../../src/models/embedder';
import { FramePipeline } from '../../src/pipeline/frame-pipeline';
import type { LiveViewController } from './live-view-controller';
import type { PredictionEventsController } from './prediction-events-controller';
import type { PredictionLoopController } from './prediction-loop';
import type { RecordingController } from './recording-controller';

/** What the frame path reads from the app (getters: the app makes some of these after this controller). */
export interface FramePathParts {
  readonly addNotice: (message: string) => void;
  readonly video: () => HTMLVideoElement | null;
  readonly mirrored: () => boolean;
  /** True while saved examples are restored: no frame is handled then. */
  readonly restoring: () => boolean;
  readonly loop: () => PredictionLoopController;
  readonly live: () => LiveViewController;
  readonly recording: () => RecordingController;
  readonly predictions: () => PredictionEventsController;
}

/**
 * The app's side of the frame path (src/pipeline/frame-pipeline.ts): each camera frame through the pipeline to the
 * live view and the prediction events, and what a model or camera change does to it.
 */
export class FramePathController implements ReactiveController {
  /** Embeds frames in a worker where one can run the model; a worker that cannot says so in a notice. */
  private readonly pipeline: FramePipeline;

  constructor(
    host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly parts: FramePathParts,
  ) {
    this.pipeline = new FramePipeline(teachable, { onFallback: (message) => parts.addNotice(message) });
    host.addController(this);
  }

  hostDisconnected(): void {
    void this.pipeline.dispose();
  }

  /** Handles one camera frame; false when there was none to handle (no camera or model yet). */
  async step(): Promise<boolean> {
    const video = this.parts.video();
    // While a restore runs, embedding frames only took the page from it (half of it at 10,000 examples).
    if (!video || this.parts.restoring()) return false;
    const recording = this.parts.recording();
    const predictions = this.parts.predictions();
    const result = await this.pipeline.step(video, this.parts.mirrored(), recording.recordTo(performance.now()));
    if (!result) return false;
    if (result.recordedTo) recording.recorded(result.recordedTo);
    this.parts.live().show({
      knn: result.prediction,
      dense: result.dense,
      unknown: result.unknown && result.prediction !== null,
      stream: predictions.latest,
    });
    if (result.stream) predictions.emit(result.stream);
    return true;
  }

  /** Takes the model the app loaded (null: none), and starts or stops the frames for it. */
  async useEmbedder(embedder: Embedder | null): Promise<void> {
    const loop = this.parts.loop();
    loop.resetTiming();
    if (!embedder) {
      this.teachable.setEmbedder(null);
      await loop.idle();
      this.parts.predictions().reset();
      this.parts.live().clear();
      return;
    }
    this.teachable.setEmbedder(embedder);
    // The frames' worker loads the model while saved examples are restored, when they are: no frame is embedded then.
    this.pipeline.prepare(embedder);
    loop.start();
  }

  readonly cameraReady = (): void => {
    // A new stream may come with a new video element: restart so frames are awaited on the right one.
    const loop = this.parts.loop();
    loop.stop();
    loop.start();
  };

  readonly cameraFailed = (): void => {
    this.parts.recording().cameraFailed();
    this.parts.loop().resetTiming();
    this.parts.predictions().reset();
    this.parts.live().clear();
  };
}
