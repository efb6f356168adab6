/**
 * Scaling of a square of RGBA pixels, optionally mirrored: the part of a camera frame's crop that VideoFrame.copyTo
 * does not do (see FrameGrabber.grabVideo), in WebAssembly SIMD (frame-kernels.wat). It follows what Chromium's
 * drawImage does with a video as closely as was measured useful: halving by 2 x 2 means while the square is at
 * least twice the output (as mipmaps do), then bilinear, truncating. On real webcam frames that put embeddings at
 * cosine 0.999 of the drawn path's, where a bilinear straight from the square gave 0.988 (it skips pixels) and
 * rounding each blend made the frames 0.75 of 255 brighter on average.
 */
import { FRAME_KERNELS_WASM_BASE64 } from './frame-kernels-wasm';

interface FrameKernels {
  readonly memory: WebAssembly.Memory;
  halve(src: number, size: number, dst: number): void;
  blend_rows(a: number, b: number, pixels: number, weight: number, out: number): void;
  blend_columns(row: number, taps: number, count: number, out: number): void;
}

const PAGE = 65536;
/** Each buffer's slack: the kernels read and write whole groups of four pixels. */
const SLACK = 16;

let compiled: WebAssembly.Module | null = null;

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
 * written into `input` (a view of the kernels' memory, as VideoFrame.copyTo can fill it), then `scale` runs.
 */
export class SquareScaler {
  /** Where the square's size x size RGBA pixels go before `scale`. */
  readonly input: Uint8Array;
  private readonly kernels: FrameKernels;
  private readonly halvings: number;
  private readonly scaled: number;
  private readonly rows: Taps;
  private readonly at: { readonly input: number; readonly taps: number; readonly row: number; readonly out: number };

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
    // Halving happens in place, in the input; then one blended row, the column taps and the output.
    const input = 0;
    const taps = input + size * size * 4 + SLACK;
    const row = taps + out * 8;
    const outAt = row + this.scaled * 4 + SLACK;
    const end = outAt + out * out * 4 + SLACK;
    const { memory } = this.kernels;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    this.at = { input, taps, row, out: outAt };
    const columns = bilinearTaps(this.scaled, out, mirror);
    const pairs = new Int32Array(memory.buffer, taps, out * 2);
    for (let x = 0; x < out; x++) {
      pairs[2 * x] = columns.first[x] * 4;
      pairs[2 * x + 1] = columns.weight[x];
    }
    this.input = new Uint8Array(memory.buffer, input, size * size * 4);
  }

  /** Scales the square in `input` into `target` (out x out RGBA). `input` is overwritten. */
  scale(target: Uint8ClampedArray): void {
    const { size, out, scaled, rows, at, kernels } = this;
    if (target.length < out * out * 4) throw new RangeError('pixel buffer too small');
    for (let h = 0; h < this.halvings; h++) kernels.halve(at.input, size >> h, at.input);
    const stride = scaled * 4;
    for (let y = 0; y < out; y++) {
      const top = at.input + rows.first[y] * stride;
      kernels.blend_rows(top, top + stride, scaled, rows.weight[y], at.row);
      kernels.blend_columns(at.row, at.taps, out, at.out + y * out * 4);
    }
    target.set(new Uint8Array(kernels.memory.buffer, at.out, out * out * 4));
  }
}
