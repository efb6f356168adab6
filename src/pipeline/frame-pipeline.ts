/**
 * The app's frame path, one way: the newest camera frame's centre square (FrameGrabber) -> Teachable.processFrame
 * (embed, record, classify, "none of these", the steady stream) -> a FrameResult the view only renders and
 * dispatches.
 */
import { FrameGrabber } from '../camera/frame';
import type { FrameResult, Teachable } from '../app/teachable';

export class FramePipeline {
  private readonly grabber = new FrameGrabber();

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
