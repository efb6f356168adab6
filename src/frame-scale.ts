/**
 * Scaling of a square of RGBA pixels, optionally mirrored, in plain JavaScript: the part of a camera frame's crop
 * that VideoFrame.copyTo does not do (see FrameGrabber.grabVideo). It follows what Chromium's drawImage does with a
 * video as closely as was measured useful: halving by 2 x 2 means while the square is at least twice the output
 * (as mipmaps do), then bilinear, truncating. On real webcam frames that put embeddings at cosine 0.999 of the
 * drawn path's, where a bilinear straight from the square gave 0.988 (it skips pixels) and rounding each blend made
 * the frames 0.75 of 255 brighter on average.
 */

interface Taps {
  /** Output i blends source samples first[i] and first[i] + 1 ... */
  readonly first: Int32Array;
  /** ... weighted (256 - weight[i], weight[i]) / 256. */
  readonly weight: Int32Array;
}

/** Pixel centres aligned as a canvas aligns them when it scales `size` samples to `out`. */
function bilinearTaps(size: number, out: number, mirror: boolean): Taps {
  const first = new Int32Array(out);
  const weight = new Int32Array(out);
  const scale = size / out;
  for (let i = 0; i < out; i++) {
    const centre = ((mirror ? out - 1 - i : i) + 0.5) * scale;
    const at = Math.min(size - 1, Math.max(0, centre - 0.5));
    // The last sample is reached as the second of the last pair, so first + 1 is always in the row.
    const lo = Math.min(Math.floor(at), size - 2);
    first[i] = lo;
    weight[i] = Math.round((at - lo) * 256);
  }
  return { first, weight };
}

const LOW_BYTES = 0x00ff00ff;
const OPAQUE = 0xff000000;

/**
 * Blends two RGBA pixels packed in 32-bit words, two channels at a time, truncating: with weights summing to 256
 * each channel's sum stays under 2^16, so red and blue (and green and alpha) share one multiplication.
 */
function blend(a: number, b: number, weight: number): number {
  const keep = 256 - weight;
  const redBlue = ((((a & LOW_BYTES) * keep + (b & LOW_BYTES) * weight) >>> 8) & LOW_BYTES) >>> 0;
  const greenAlpha = (((a >>> 8) & LOW_BYTES) * keep + ((b >>> 8) & LOW_BYTES) * weight) & ~LOW_BYTES;
  return (redBlue | greenAlpha) >>> 0;
}

/** The mean of four RGBA words, halves rounded down, two channels at a time (four bytes sum to under 2^16). */
function mean4(a: number, b: number, c: number, d: number): number {
  const sum = (shift: number) =>
    ((a >>> shift) & LOW_BYTES) + ((b >>> shift) & LOW_BYTES) + ((c >>> shift) & LOW_BYTES) + ((d >>> shift) & LOW_BYTES) + 0x00010001;
  return (((sum(0) >>> 2) & LOW_BYTES) | ((sum(8) << 6) & ~LOW_BYTES)) >>> 0;
}

/**
 * Averages each 2 x 2 block of a size x size square (size even) into `target`, which may be the source: each
 * block is read before its mean is written at a lower index.
 */
function halve(source: Uint32Array, size: number, target: Uint32Array): void {
  const half = size / 2;
  for (let y = 0; y < half; y++) {
    const top = 2 * y * size;
    const bottom = top + size;
    const start = y * half;
    for (let x = 0; x < half; x++) {
      const left = 2 * x;
      target[start + x] = mean4(source[top + left], source[top + left + 1], source[bottom + left], source[bottom + left + 1]);
    }
  }
}

/**
 * Scales a size x size square of RGBA words (as VideoFrame.copyTo writes them, on a little-endian machine) to
 * out x out, mirrored left to right when asked, and opaque. Rows are blended first, then columns.
 */
export function squareScaler(size: number, out: number, mirror: boolean): (source: Uint32Array, target: Uint32Array) => void {
  if (size < 2) throw new RangeError(`a square of ${size} pixels cannot be scaled`);
  let halvings = 0;
  while ((size >> halvings) % 2 === 0 && size >> (halvings + 1) >= out) halvings++;
  const scaled = size >> halvings;
  const columns = bilinearTaps(scaled, out, mirror);
  const rows = bilinearTaps(scaled, out, false);
  const row = new Uint32Array(scaled);
  const halved = halvings ? new Uint32Array((size >> 1) * (size >> 1)) : null;
  return (input, target) => {
    if (input.length < size * size || target.length < out * out) throw new RangeError('pixel buffer too small');
    let source = input;
    if (halved) {
      halve(input, size, halved);
      for (let h = 1; h < halvings; h++) halve(halved, size >> h, halved);
      source = halved;
    }
    for (let y = 0; y < out; y++) {
      const top = rows.first[y] * scaled;
      const bottom = top + scaled;
      const weight = rows.weight[y];
      for (let x = 0; x < scaled; x++) row[x] = blend(source[top + x], source[bottom + x], weight);
      const start = y * out;
      for (let x = 0; x < out; x++) {
        const at = columns.first[x];
        target[start + x] = (blend(row[at], row[at + 1], columns.weight[x]) | OPAQUE) >>> 0;
      }
    }
  };
}
