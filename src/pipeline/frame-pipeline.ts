/**
 * The app's frame path, one way: the newest camera frame's centre square (FrameGrabber) -> Teachable.processFrame
 * (embed, record, classify, "none of these", the steady stream) -> a FrameResult the view only renders and
 * dispatches.
 */
import { FrameGrabber } from '../camera/frame';
import type { FrameResult, Teachable } from '../app/teachable';

/**
 * The side of the frame kept with each recorded example (its thumbnail, a JPEG): the model's own input size, so that
 * re-embedding it for another model after a switch (src/app/model-reembed.ts) loses nothing measurable. Measured on
 * real webcam frames (test/e2e/reembed-real.test.ts): 64 px frames re-embedded were 18 points less accurate than
 * recording afresh, 112 px 7 points, 160 px 4 points, 224 px level (docs/accuracy.md).
 */
export const KEPT_FRAME_SIZE = 224;

export class FramePipeline {
  private readonly grabber = new FrameGrabber(KEPT_FRAME_SIZE);

  constructor(private readonly teachable: Teachable) {}

  /**
   * Runs the frame `video` shows now through the core, recording it to `recordTo` when given. Null when no model is
   * loaded (or it was switched off while the frame was read), or the video has no frame yet.
   * @param mirrored flips the pixels, as the preview of a front camera is flipped.
   */
  async step(video: HTMLVideoElement, mirrored: boolean, recordTo: string | null): Promise<FrameResult | null> {
    if (!this.teachable.embedder) return null;
    const pixels = await this.grabber.grabVideo(video, mirrored);
    if (!pixels || !this.teachable.embedder) return null;
    return this.teachable.processFrame(pixels, recordTo, () => this.grabber.thumbnail());
  }
}
