/**
 * The app's frame path, one way: the newest camera frame's centre square (FrameGrabber) -> its embedding, in a
 * worker where one runs the model, else on the page (FrameEmbedding) -> Teachable.processEmbedding (record,
 * classify, "none of these", the steady stream) -> a FrameResult the view only renders and dispatches.
 */
import { FrameGrabber } from '../camera/frame';
import type { FrameResult, Teachable } from '../app/teachable';
import type { Embedder } from '../models/embedder';
import { FrameEmbedding, type FrameEmbeddingOptions } from './frame-embedding';

/**
 * The side of the frame kept with each recorded example (its thumbnail, a JPEG): the model's own input size, so that
 * re-embedding it for another model after a switch (src/app/model-reembed.ts) loses nothing measurable. Measured on
 * real webcam frames (test/e2e/reembed-real.test.ts): 64 px frames re-embedded were 18 points less accurate than
 * recording afresh, 112 px 7 points, 160 px 4 points, 224 px level (docs/accuracy.md).
 */
export const KEPT_FRAME_SIZE = 224;

export class FramePipeline {
  private readonly grabber = new FrameGrabber(KEPT_FRAME_SIZE);
  /** Where frames are embedded (a worker, or the page). */
  readonly embedding: FrameEmbedding;

  constructor(
    private readonly teachable: Teachable,
    options: FrameEmbeddingOptions = {},
  ) {
    this.embedding = new FrameEmbedding(options);
  }

  /**
   * Runs the frame `video` shows now through the core, recording it to `recordTo` when given. Null when no model is
   * loaded (or another was loaded while the frame was read or embedded), or the video has no frame yet.
   * @param mirrored flips the pixels, as the preview of a front camera is flipped.
   */
  async step(video: HTMLVideoElement, mirrored: boolean, recordTo: string | null): Promise<FrameResult | null> {
    const embedder = this.teachable.embedder;
    if (!embedder) return null;
    const pixels = await this.grabber.grabVideo(video, mirrored);
    if (!pixels || this.teachable.embedder !== embedder) return null;
    // The grabber's pixels and thumbnail stay this frame's until the next grab, which waits for this step.
    const inWorker = this.embedding.stateFor(embedder) === 'worker';
    const embedded = this.embedding.embed(embedder, pixels);
    // While the worker embeds, the page makes the thumbnail a recorded frame keeps, instead of after.
    const kept = recordTo !== null && inWorker ? this.grabber.thumbnail() : null;
    const thumbnail = () => kept ?? this.grabber.thumbnail();
    const values = await embedded;
    if (this.teachable.embedder !== embedder) return null;
    return values ? this.teachable.processEmbedding(values, recordTo, thumbnail) : this.teachable.processFrame(pixels, recordTo, thumbnail);
  }

  /** Starts the embedding worker for `embedder`'s model before the first frame (FrameEmbedding.prepare). */
  prepare(embedder: Embedder): void {
    this.embedding.prepare(embedder);
  }

  /** Lets the embedding worker's model go (FrameEmbedding.dispose); the next step loads it again. */
  dispose(): Promise<number> {
    return this.embedding.dispose();
  }
}
