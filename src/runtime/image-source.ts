import { FrameGrabber } from '../camera/frame';
import { INPUT_SIZE } from '../models/catalog';
import { ClassifierError } from './errors';

/** What classify() reads: a frame of a video, an image, a canvas, a bitmap or raw pixels. */
export type ImageSource = HTMLVideoElement | HTMLImageElement | HTMLCanvasElement | ImageBitmap | ImageData;

/**
 * Reads a source's centre square at 224 x 224 with the app's own FrameGrabber, so an image is cropped and scaled
 * exactly as the app crops and scales its camera frames.
 */
export class SquareReader {
  private grabber: FrameGrabber | null = null;
  private scratch: HTMLCanvasElement | null = null;

  read(source: ImageSource, mirror: boolean): ImageData {
    if (source instanceof ImageData && source.width === INPUT_SIZE && source.height === INPUT_SIZE && !mirror) return source;
    const drawable = source instanceof ImageData ? this.canvasOf(source) : source;
    if (!isDrawable(drawable)) throw new ClassifierError('image', `classify() takes a video, an image, a canvas, an ImageBitmap or ImageData, not ${describe(source)}.`);
    this.grabber ??= new FrameGrabber();
    let pixels: ImageData | null;
    try {
      pixels = this.grabber.grab(drawable, mirror);
    } catch (error) {
      // drawImage throws for a broken image; getImageData for pixels of another origin.
      const reason = error instanceof DOMException && error.name === 'SecurityError'
        ? 'it comes from another site that does not allow reading its pixels (CORS)'
        : 'it is not an image that can be drawn';
      throw new ClassifierError('image', `This image cannot be read: ${reason}.`, { cause: error });
    }
    if (!pixels) {
      throw new ClassifierError('image', source instanceof HTMLVideoElement
        ? 'The video has no frame yet: wait for it to play.'
        : 'The image has no pixels: it is not loaded yet, or it is not an image.');
    }
    return pixels;
  }

  private canvasOf(image: ImageData): HTMLCanvasElement {
    const canvas = (this.scratch ??= document.createElement('canvas'));
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    return canvas;
  }
}

function isDrawable(source: unknown): source is HTMLVideoElement | HTMLImageElement | HTMLCanvasElement | ImageBitmap {
  return (
    source instanceof HTMLVideoElement ||
    source instanceof HTMLImageElement ||
    source instanceof HTMLCanvasElement ||
    (typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'an object';
}
