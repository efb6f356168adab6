/**
 * The centre square of a decoded image at 224 x 224, as the browser app gets it: FrameGrabber draws that square
 * onto a 224 x 224 canvas, and Chromium scales with bilinear filtering between pixel centres, its weights in
 * truncated sixteenths and its results truncated, reading past the square's edge into the rest of the image (clamped
 * at the image's own edge). On the shared photos that gives Chromium's pixels bit for bit where no output pixel falls
 * on a sixteenth's boundary, and within 0.05 of 255 on average where some do (test/node/predict-embeddings.test.mjs
 * checks the embeddings). Images at least twice the output are first halved by 2 x 2 means, as the mipmaps the
 * browser scales large images from are; no shared photo is that large, so that step is not measured.
 */
import { centreSquare } from '../../src/camera/frame';
import { INPUT_SIZE } from '../../src/models/catalog';

export interface DecodedImage {
  /** Rows of `channels` bytes per pixel (3: RGB, 4: RGBA). */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** 224 x 224 RGBA (alpha 255), ImageData's layout. */
export function centreSquareRgba(image: DecodedImage): Uint8ClampedArray {
  let { data, width, height } = image;
  let channels = image.channels;
  let { sx, sy, size } = centreSquare(width, height);
  while (size >= 2 * INPUT_SIZE) {
    ({ data, width, height } = halve(data, width, height, channels));
    channels = 3;
    sx /= 2;
    sy /= 2;
    size /= 2;
  }
  const out = new Uint8ClampedArray(INPUT_SIZE * INPUT_SIZE * 4);
  const scale = size / INPUT_SIZE;
  const xs = taps(sx, scale, width);
  const ys = taps(sy, scale, height);
  for (let y = 0; y < INPUT_SIZE; y++) {
    const row0 = ys.first[y] * width;
    const row1 = ys.second[y] * width;
    const wy = ys.weight[y];
    for (let x = 0; x < INPUT_SIZE; x++) {
      const a = (row0 + xs.first[x]) * channels;
      const b = (row0 + xs.second[x]) * channels;
      const c = (row1 + xs.first[x]) * channels;
      const d = (row1 + xs.second[x]) * channels;
      const wx = xs.weight[x];
      const o = (y * INPUT_SIZE + x) * 4;
      for (let k = 0; k < 3; k++) {
        // In sixteenths, exactly: top and bottom are 16x the rows' blends, the result 256x the pixel's.
        const top = 16 * data[a + k] + (data[b + k] - data[a + k]) * wx;
        const bottom = 16 * data[c + k] + (data[d + k] - data[c + k]) * wx;
        out[o + k] = (16 * top + (bottom - top) * wy) >> 8;
      }
      out[o + 3] = 255;
    }
  }
  return out;
}

/** For each output column (or row): the two source pixels it blends, and the second one's weight in sixteenths. */
function taps(start: number, scale: number, limit: number): { first: Int32Array; second: Int32Array; weight: Int32Array } {
  const first = new Int32Array(INPUT_SIZE);
  const second = new Int32Array(INPUT_SIZE);
  const weight = new Int32Array(INPUT_SIZE);
  for (let i = 0; i < INPUT_SIZE; i++) {
    // In float32, as the browser maps each output pixel's centre into the image (the weights below depend on it).
    const at = Math.fround(Math.fround(Math.fround((i + 0.5) * Math.fround(scale)) + Math.fround(start)) - 0.5);
    const left = Math.floor(at);
    // Chromium's bilinear filter weighs the two pixels in sixteenths (truncated), measured bit for bit on photos.
    weight[i] = Math.floor((at - left) * 16);
    first[i] = Math.min(Math.max(left, 0), limit - 1);
    second[i] = Math.min(Math.max(left + 1, 0), limit - 1);
  }
  return { first, second, weight };
}

/** The image at half size (RGB), each pixel the rounded mean of a 2 x 2 block. */
function halve(data: Uint8Array, width: number, height: number, channels: number): { data: Uint8Array; width: number; height: number } {
  const w = Math.floor(width / 2);
  const h = Math.floor(height / 2);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = ((2 * y) * width + 2 * x) * channels;
      const c = a + width * channels;
      for (let k = 0; k < 3; k++) {
        out[(y * w + x) * 3 + k] = (data[a + k] + data[a + channels + k] + data[c + k] + data[c + channels + k] + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h };
}
