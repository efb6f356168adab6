/**
 * Scaling of a square of RGBA pixels, optionally mirrored: the part of a camera frame's crop that VideoFrame.copyTo
 * does not do (see FrameGrabber.grabVideo), in WebAssembly SIMD (frame-kernels.wat). It follows what Chromium's
 * drawImage does with a video as closely as was measured useful: halving by 2 x 2 means while the square is at
 * least twice the output (as mipmaps do), then one bilinear blend, each step rounding down once (the rows' blend is
 * kept at 16 bits for the columns'). On real webcam frames, landscape and portrait, that put embeddings at cosine
 * 0.9996 or more of the drawn path's, with 92% of the bytes equal; a bilinear straight from the square gave 0.988 (it
 * skips pixels), rounding each blend made the frames 0.75 of 255 brighter on average, and rounding the halves and
 * each of the two blends to 8 bits gave 0.9988 on portrait frames.
 */
import { FRAME_KERNELS_WASM_BASE64 } from './frame-kernels-wasm';

interface FrameKernels {
  readonly memory: WebAssembly.Memory;
  halve(src: number, size: number, dst: number): void;
  halve_yuv420(
    y: number,
    yStride: number,
    u: number,
    v: number,
    uvStride: number,
    interleaved: number,
    half: number,
    yOffset: number,
    ky: number,
    kvr: number,
    kug: number,
    kvg: number,
    kub: number,
    dst: number,
  ): void;
  blend_rows(a: number, b: number, pixels: number, weight: number, out: number): void;
  blend_columns(row: number, taps: number, count: number, out: number): void;
}

const PAGE = 65536;
/** Each buffer's slack: the kernels read and write whole groups of four pixels. */
const SLACK = 16;

let compiled: WebAssembly.Module | null = null;

/**
 * A 4:2:0 frame's conversion to R'G'B' in the kernel's fixed point: R = (ky (Y - yOffset) + kvr (V - 128)) / 64 and
 * so on (see halve_yuv420 in frame-kernels.wat).
 */
export interface YuvCoefficients {
  readonly yOffset: number;
  readonly ky: number;
  readonly kvr: number;
  readonly kug: number;
  readonly kvg: number;
  readonly kub: number;
}

/**
 * Luma weights (Kr, Kb) of the matrices converted here: BT.601's, which cameras' frames state. A BT.709 frame drawn
 * by the browser came out 1 of 255 apart on average from this conversion (its transfer function is handled too),
 * so it is left to the browser, as is any frame that does not state its matrix and range.
 */
const LUMA_WEIGHTS: Partial<Record<VideoMatrixCoefficients, readonly [number, number]>> = {
  bt470bg: [0.299, 0.114],
  smpte170m: [0.299, 0.114],
};

/** The conversion of a frame's colour space, or null for one left to the browser. */
export function yuvCoefficients(colorSpace: VideoColorSpaceInit): YuvCoefficients | null {
  const weights = colorSpace.matrix ? LUMA_WEIGHTS[colorSpace.matrix] : undefined;
  if (!weights || typeof colorSpace.fullRange !== 'boolean') return null;
  const [kr, kb] = weights;
  const kg = 1 - kr - kb;
  const luma = colorSpace.fullRange ? 1 : 255 / 219;
  const chroma = colorSpace.fullRange ? 1 : 255 / 224;
  const q15 = (value: number, shift: number) => Math.round(value * 2 ** (15 - shift) * 64);
  return {
    yOffset: colorSpace.fullRange ? 0 : 16,
    ky: q15(luma, 7),
    kvr: q15(chroma * 2 * (1 - kr), 7),
    kug: q15((chroma * 2 * kb * (1 - kb)) / kg, 7),
    kvg: q15((chroma * 2 * kr * (1 - kr)) / kg, 7),
    kub: q15(chroma * 2 * (1 - kb), 8),
  };
}

/** Where copyTo put a plane, as it reports it. */
export interface PlaneAt {
  readonly offset: number;
  readonly stride: number;
}

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

/**
 * Scales size x size squares of RGBA to out x out, mirrored left to right when asked, and opaque. The square is
 * written into `input` (a view of the kernels' memory, as VideoFrame.copyTo can fill it), then `scale` or
 * `scaleYuv420` writes `output`, another view, rewritten by each scaling.
 */
export class SquareScaler {
  /** Where the square's size x size RGBA pixels (or 4:2:0 planes) go before scaling. */
  readonly input: Uint8Array;
  /** The out x out RGBA pixels of the last scaling. */
  readonly output: Uint8ClampedArray<ArrayBuffer>;
  private readonly kernels: FrameKernels;
  private readonly halvings: number;
  private readonly scaled: number;
  private readonly rows: Taps;
  private readonly at: { readonly input: number; readonly halved: number; readonly taps: number; readonly row: number; readonly out: number };

  constructor(
    readonly size: number,
    readonly out: number,
    mirror: boolean,
  ) {
    if (size < 2 || out < 1) throw new RangeError(`a square of ${size} pixels cannot be scaled to ${out}`);
    let halvings = 0;
    while ((size >> halvings) % 2 === 0 && size >> (halvings + 1) >= out) halvings++;
    this.halvings = halvings;
    this.scaled = size >> halvings;
    this.rows = bilinearTaps(this.scaled, out, false);
    compiled ??= new WebAssembly.Module(Uint8Array.from(atob(FRAME_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
    this.kernels = new WebAssembly.Instance(compiled).exports as unknown as FrameKernels;
    // RGBA is halved in place, in the input; a 4:2:0 square (at most half the input's bytes) into `halved`, after
    // it. Then the column taps, one blended row (16 bits a channel) and the output.
    const input = 0;
    const halved = input + 2 * size * size;
    const taps = input + size * size * 4 + SLACK;
    const row = taps + out * 32;
    const outAt = row + this.scaled * 8 + 2 * SLACK;
    const end = outAt + out * out * 4 + SLACK;
    const { memory } = this.kernels;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    this.at = { input, halved, taps, row, out: outAt };
    const columns = bilinearTaps(this.scaled, out, mirror);
    // Per output pixel, 32 bytes: where its left source pixel's 16-bit channels are, then the i16 weights of the two.
    const offsets = new Int32Array(memory.buffer, taps, out * 8);
    const weights = new Int16Array(memory.buffer, taps, out * 16);
    for (let x = 0; x < out; x++) {
      offsets[8 * x] = columns.first[x] * 8;
      weights.fill(256 - columns.weight[x], 16 * x + 8, 16 * x + 12);
      weights.fill(columns.weight[x], 16 * x + 12, 16 * x + 16);
    }
    this.input = new Uint8Array(memory.buffer, input, size * size * 4);
    this.output = new Uint8ClampedArray(memory.buffer, outAt, out * out * 4);
  }

  /** Whether scaleYuv420 can read this square: it converts while it halves, so the square must be halved. */
  get readsYuv420(): boolean {
    return this.halvings > 0 && this.size / 2 >= 8;
  }

  /** The bytes of a 4:2:0 square scaleYuv420 can read from `input`. */
  get yuv420Bytes(): number {
    return 2 * this.size * this.size;
  }

  /** Scales the RGBA square in `input` into `output`. `input` is overwritten. */
  scale(): void {
    this.finish(this.at.input, this.size, this.halvings);
  }

  /**
   * Scales the 4:2:0 square in `input` into `output`, converting it to RGB with `coefficients` in its first
   * halving. `planes` are where copyTo put them: Y, U and V (I420), or Y and interleaved UV (NV12).
   */
  scaleYuv420(planes: readonly PlaneAt[], coefficients: YuvCoefficients): void {
    if (!this.readsYuv420) throw new RangeError(`a square of ${this.size} is not halved to ${this.out}`);
    const [y, u, v] = planes;
    const interleaved = planes.length === 2;
    if (!y || !u || (!interleaved && (!v || u.stride !== v.stride))) throw new RangeError('a 4:2:0 square needs its Y plane and its chroma');
    const { yOffset, ky, kvr, kug, kvg, kub } = coefficients;
    const { input, halved } = this.at;
    const half = this.size / 2;
    const vAt = interleaved ? 0 : input + v.offset;
    this.kernels.halve_yuv420(input + y.offset, y.stride, input + u.offset, vAt, u.stride, interleaved ? 1 : 0, half, yOffset, ky, kvr, kug, kvg, kub, halved);
    this.finish(halved, half, this.halvings - 1);
  }

  /** Halves the RGBA square at `source` (size x size) `halvings` times in place, then blends it into `output`. */
  private finish(source: number, size: number, halvings: number): void {
    const { out, scaled, rows, at, kernels } = this;
    for (let h = 0; h < halvings; h++) kernels.halve(source, size >> h, source);
    const stride = scaled * 4;
    for (let y = 0; y < out; y++) {
      const top = source + rows.first[y] * stride;
      kernels.blend_rows(top, top + stride, scaled, rows.weight[y], at.row);
      kernels.blend_columns(at.row, at.taps, out, at.out + y * out * 4);
    }
  }
}
