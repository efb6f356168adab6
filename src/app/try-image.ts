import type { FrameGrabber } from '../camera/frame';
import type { Teachable } from './teachable';

/** "Try an image"'s answer: the best class's label (null: none of these) and every class's confidence. */
export interface ImagePrediction {
  readonly label: string | null;
  readonly confidences: readonly { readonly label: string; readonly confidence: number }[];
}

/**
 * The app's prediction for an image's centre square, not mirrored (a photo is shown as it is, unlike the camera),
 * without adding it to any class.
 */
export async function predictImage(teachable: Teachable, grabber: FrameGrabber, image: ImageBitmap): Promise<ImagePrediction> {
  const pixels = grabber.grab(image, false);
  if (!pixels) throw new Error('the image has no pixels');
  const { prediction, unknown } = await teachable.predictImage(pixels);
  const labelOf = (id: string) => teachable.classes.find((c) => c.id === id)?.label ?? id;
  return {
    label: unknown || prediction.classId === null ? null : labelOf(prediction.classId),
    confidences: prediction.votes.map((v) => ({ label: labelOf(v.classId), confidence: v.confidence })),
  };
}
