import { capabilities } from '../platform/capabilities';
import { SquareScaler, yuvCoefficients } from './frame-scale';
import { INPUT_SIZE } from '../models/catalog';

export interface SquareCrop {
  readonly sx: number;
  readonly sy: number;
  readonly size: number;
}

/** The largest centred square of a width x height frame. */
export function centreSquare(width: number, height: number): SquareCrop {
  const size = Math.min(width, height);
  return { sx: (width - size) / 2, sy: (height - size) / 2, size };
}

export type FrameSourceElement = HTMLVideoElement | HTMLImageElement | HTMLCanvasElement | ImageBitmap;

function sourceSize(source: FrameSourceElement): { width: number; height: number } {
  if (source instanceof HTMLVideoElement) return { width: source.videoWidth, height: source.videoHeight };
  if (source instanceof HTMLImageElement) return { width: source.naturalWidth, height: source.naturalHeight };
  return { width: source.width, height: source.height };
}

/** VideoFrame's orientation fields, newer than this TypeScript's lib. */
type OrientedFrame = VideoFrame & { readonly rotation?: number; readonly flip?: boolean };

/**
 * Draws the centre square of a frame, optionally mirrored, into a 224 x 224 canvas. That canvas is what the
 * model embeds and what thumbnails are made from, so the model sees exactly what the (mirrored) preview shows.
 * A playing video's frames take a faster path, grabVideo.
 */
export class FrameGrabber {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly thumbCanvas: HTMLCanvasElement;
  private readonly thumbContext: CanvasRenderingContext2D;
  /** Pixels grabVideo read without the canvas, not yet drawn to it: thumbnail() draws them first. */
  private pending: ImageData | null = null;
  /** The scaler of the last square read, and its output as ImageData (the same pixels, rewritten each frame). */
  private scaler: { readonly mirror: boolean; readonly scaler: SquareScaler; readonly pixels: ImageData } | null = null;
  /** Set once copyTo has refused to convert to RGBA here, so later frames go straight to the canvas. */
  private copyRefused = false;

  constructor(readonly thumbnailSize = 64) {
    this.canvas = Object.assign(document.createElement('canvas'), { width: INPUT_SIZE, height: INPUT_SIZE });
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.thumbCanvas = Object.assign(document.createElement('canvas'), { width: thumbnailSize, height: thumbnailSize });
    this.thumbContext = this.thumbCanvas.getContext('2d')!;
  }

  /** Returns the 224 x 224 pixels of the frame's centre square, or null when the source has no frame yet. */
  grab(source: FrameSourceElement, mirror: boolean): ImageData | null {
    const { width, height } = sourceSize(source);
    if (!width || !height) return null;
    const { sx, sy, size } = centreSquare(width, height);
    this.pending = null;
    this.context.save();
    if (mirror) {
      this.context.translate(INPUT_SIZE, 0);
      this.context.scale(-1, 1);
    }
    this.context.drawImage(source, sx, sy, size, size, 0, 0, INPUT_SIZE, INPUT_SIZE);
    this.context.restore();
    return this.context.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE);
  }

  /**
   * The same square as grab() for a playing video, without drawing it. drawImage converts the whole of every new
   * camera frame (3.1 ms for the 640 x 480 fake camera here). VideoFrame.copyTo copies only the centre square:
   * - as it is, when it is 4:2:0 (I420 or NV12) in a colour space SquareScaler converts (0.15 ms), to be converted
   *   to RGB while it is halved;
   * - otherwise converted to RGBA by the browser (0.65 ms, with drawImage's colours bit for bit).
   * SquareScaler scales and mirrors it as the browser draws a video, to within rounding (on real webcam frames,
   * embeddings at cosine 0.999 of grab()'s). Any frame this path cannot read (no VideoFrame, rotated, odd crop,
   * copyTo without RGBA) goes through grab(), and so does every frame in a browser that draws video frames with
   * another filter than SquareScaler's (Firefox; see drawsVideoAsScaled). The pixels it gives are rewritten by the next grabVideo or grabFrame
   * (a frame's pixels are embedded at once, and copying them would cost 0.2 ms): copy them to keep them.
   */
  async grabVideo(video: HTMLVideoElement, mirror: boolean): Promise<ImageData | null> {
    if (this.copyRefused || !capabilities().videoFrame || !(await drawsVideoAsScaled())) return this.grab(video, mirror);
    if (!video.videoWidth || !video.videoHeight || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
    let frame: OrientedFrame;
    try {
      frame = new VideoFrame(video);
    } catch {
      return this.grab(video, mirror);
    }
    try {
      return (await this.grabFrame(frame, mirror)) ?? this.grab(video, mirror);
    } finally {
      frame.close();
    }
  }

  /**
   * A VideoFrame's centre square as grabVideo reads it (rewritten by the next read), or null when the frame is one
   * it does not read. The caller keeps (and closes) the frame.
   */
  async grabFrame(frame: OrientedFrame, mirror: boolean): Promise<ImageData | null> {
    const visible = frame.visibleRect;
    if (!visible || frame.rotation || frame.flip) return null;
    if (visible.width !== frame.displayWidth || visible.height !== frame.displayHeight) return null;
    const crop = centreSquare(visible.width, visible.height);
    const x = visible.x + crop.sx;
    const y = visible.y + crop.sy;
    // A 4:2:0 frame can only be cut on its 2 x 2 chroma blocks.
    if (x % 2 || y % 2 || crop.size % 2) return null;
    if (this.scaler?.scaler.size !== crop.size || this.scaler.mirror !== mirror) {
      const scaler = new SquareScaler(crop.size, INPUT_SIZE, mirror);
      this.scaler = { mirror, scaler, pixels: new ImageData(scaler.output, INPUT_SIZE, INPUT_SIZE) };
    }
    const { scaler, pixels } = this.scaler;
    const rect = { x, y, width: crop.size, height: crop.size };
    // A 4:2:0 frame in a colour space converted here is copied as it is, under half the bytes of RGBA, and converted
    // while it is halved; any other is converted to RGBA by the browser.
    const yuv420 = frame.format === 'I420' || frame.format === 'NV12';
    const coefficients = yuv420 ? yuvCoefficients(frame.colorSpace) : null;
    if (coefficients && scaler.readsYuv420 && frame.allocationSize({ rect }) <= scaler.yuv420Bytes) {
      scaler.scaleYuv420(await frame.copyTo(scaler.input, { rect }), coefficients);
    } else {
      try {
        await frame.copyTo(scaler.input, { rect, format: 'RGBA', colorSpace: 'srgb' });
      } catch {
        this.copyRefused = true;
        return null;
      }
      scaler.scale();
    }
    this.pending = pixels;
    return pixels;
  }

  /** A small JPEG data URL of the last grabbed frame. */
  thumbnail(): string {
    if (this.pending) {
      this.context.putImageData(this.pending, 0, 0);
      this.pending = null;
    }
    this.thumbContext.drawImage(this.canvas, 0, 0, this.thumbnailSize, this.thumbnailSize);
    return this.thumbCanvas.toDataURL('image/jpeg', 0.8);
  }
}

/** The side of the probe's frame: scaled to 224 by a factor that is not a whole number, where filters differ. */
const PROBE_SIZE = 480;
/** Mean difference (0-255 levels) of the probe within which the browser draws as SquareScaler scales. */
const PROBE_TOLERANCE = 4;
let probed: Promise<boolean> | null = null;

/**
 * Whether this browser draws a video frame as SquareScaler scales it, probed once per page on a frame of noise (where
 * scaling filters differ most). Chromium's drawing is within 2 levels of it on average; Firefox draws video frames
 * with a smoother filter, 32 levels apart (embeddings of real frames at cosine 0.988 to 0.998 of the drawn crop's),
 * and its copyTo to RGBA costs more than drawing (3.6 against 1.7 ms for its 640 x 480 camera). Where the browser
 * draws otherwise, grabVideo draws too, so the model gets what the preview shows.
 */
export function drawsVideoAsScaled(): Promise<boolean> {
  probed ??= (async () => {
    const noise = new Uint8Array(PROBE_SIZE * PROBE_SIZE * 4);
    let seed = 1;
    for (let i = 0; i < noise.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      noise[i] = i % 4 === 3 ? 255 : seed >>> 24;
    }
    let frame: VideoFrame | null = null;
    try {
      frame = new VideoFrame(noise, { format: 'RGBA', codedWidth: PROBE_SIZE, codedHeight: PROBE_SIZE, timestamp: 0 });
      const scaled = await new FrameGrabber().grabFrame(frame, false);
      if (!scaled) return false;
      const canvas = Object.assign(document.createElement('canvas'), { width: INPUT_SIZE, height: INPUT_SIZE });
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(frame, 0, 0, PROBE_SIZE, PROBE_SIZE, 0, 0, INPUT_SIZE, INPUT_SIZE);
      const drawn = context.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE);
      let sum = 0;
      for (let i = 0; i < drawn.data.length; i++) if (i % 4 !== 3) sum += Math.abs(drawn.data[i] - scaled.data[i]);
      return sum / ((drawn.data.length / 4) * 3) <= PROBE_TOLERANCE;
    } catch {
      return false;
    } finally {
      frame?.close();
    }
  })();
  return probed;
}
