/**
 * One class's examples in a WasmArena, in blocks of rows (so adding one never copies the others):
 * - each example exactly as given (unit length), f32, for reading back, exports and the 'mean-of-k' vote;
 * - its power transform (step 1 of feature-space.ts) in 8 bits, with one scale per row: the index the default vote
 *   scans, a quarter of the bytes, with each row's rounding error (its residual's length) kept to bound the error;
 * - the sums of the power-transformed rows and of their squares, all that steps 2 and 3 need of the class.
 */
import { powerTransformInto, powerTransformLength } from '../feature-space';
import type { WasmArena } from './arena';

/** How rows are laid out: `dim` numbers, padded with zeros to strides the kernels can step through. */
export interface RowLayout {
  readonly dim: number;
  /** Bytes per f32 row: dim x 4 rounded up to 32. */
  readonly exactStride: number;
  /** Bytes per 8-bit row: dim rounded up to 32. */
  readonly indexStride: number;
}

export function rowLayout(dim: number): RowLayout {
  return { dim, exactStride: Math.ceil((dim * 4) / 32) * 32, indexStride: Math.ceil(dim / 32) * 32 };
}

interface Block {
  readonly exact: number;
  readonly index: number;
  readonly capacity: number;
  count: number;
}

/** Blocks hold at most this many rows, so a class's last, partly filled block wastes at most this many. */
const MAX_BLOCK_ROWS = 1024;
const MIN_BLOCK_ROWS = 16;

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

function grown(array: Float32Array<ArrayBuffer>, length: number): Float32Array<ArrayBuffer> {
  if (array.length >= length) return array;
  const bigger = new Float32Array(Math.max(length, array.length * 2, 16));
  bigger.set(array);
  return bigger;
}

export class ClassRows {
  private readonly blocks: Block[] = [];
  private rows = 0;
  /** Per row: the 8-bit index's scale (value = byte x scale) and the length of its rounding error. */
  private indexScale: Float32Array<ArrayBuffer> = new Float32Array(0);
  private indexError: Float32Array<ArrayBuffer> = new Float32Array(0);
  /** Per row: the length of the power transform before its scaling to unit length. */
  private rootLength: Float32Array<ArrayBuffer> = new Float32Array(0);
  readonly sum: Float64Array;
  readonly sumSquares: Float64Array;
  private readonly transformed: Float32Array;

  constructor(
    private readonly arena: WasmArena,
    readonly layout: RowLayout,
  ) {
    this.sum = new Float64Array(layout.dim);
    this.sumSquares = new Float64Array(layout.dim);
    this.transformed = new Float32Array(layout.dim);
  }

  get count(): number {
    return this.rows;
  }

  /** Bytes this class holds outside the arena: per-row and per-component arrays. */
  get sideBytes(): number {
    return 4 * (this.indexScale.length + this.indexError.length + this.rootLength.length) + 8 * 2 * this.layout.dim + 4 * this.layout.dim;
  }

  /**
   * Appends `vectors` (rows of `dim` numbers), each scaled to unit length unless it already is (so rows read back
   * come back bit for bit). Allocates first, so a RangeError (out of memory) leaves the class as it was.
   */
  append(vectors: ArrayLike<number>): void {
    const { dim } = this.layout;
    const n = vectors.length / dim;
    const last = this.blocks.at(-1);
    const room = last ? last.capacity - last.count : 0;
    const fresh: Block[] = [];
    try {
      for (let left = n - room; left > 0; ) {
        const capacity = Math.min(MAX_BLOCK_ROWS, Math.max(MIN_BLOCK_ROWS, nextPowerOfTwo(Math.max(left, (this.rows + n) / 4))));
        fresh.push(this.allocateBlock(capacity));
        left -= capacity;
      }
    } catch (error) {
      fresh.forEach((b) => this.releaseBlock(b));
      throw error;
    }
    this.blocks.push(...fresh);
    this.indexScale = grown(this.indexScale, this.rows + n);
    this.indexError = grown(this.indexError, this.rows + n);
    this.rootLength = grown(this.rootLength, this.rows + n);
    let block = this.blocks.findIndex((b) => b.count < b.capacity);
    for (let r = 0; r < n; r++) {
      while (this.blocks[block].count === this.blocks[block].capacity) block++;
      this.writeRow(this.blocks[block], vectors, r * dim);
    }
  }

  /** Row `row`'s offset in the arena's f32 view (the exact vector). */
  exactRow(row: number): number {
    const { block, at } = this.locate(row);
    return (block.exact + at * this.layout.exactStride) / 4;
  }

  /** A copy of rows `from` onwards, exact, `dim` numbers each. */
  copyRows(from = 0): Float32Array {
    const { dim, exactStride } = this.layout;
    const out = new Float32Array(Math.max(0, this.rows - from) * dim);
    const f32 = this.arena.f32;
    this.forEachBlock((first, count, exact) => {
      for (let r = Math.max(first, from); r < first + count; r++) {
        const start = (exact + (r - first) * exactStride) / 4;
        out.set(f32.subarray(start, start + dim), (r - from) * dim);
      }
    });
    return out;
  }

  /** Calls `visit` with each block of rows: where its rows start (as row numbers), and its arena offsets. */
  forEachBlock(visit: (firstRow: number, count: number, exact: number, index: number) => void, rows = this.rows): void {
    let first = 0;
    for (const block of this.blocks) {
      if (first >= rows) return;
      visit(first, Math.min(block.count, rows - first), block.exact, block.index);
      first += block.count;
    }
  }

  scaleOf(row: number): number {
    return this.indexScale[row];
  }

  errorOf(row: number): number {
    return this.indexError[row];
  }

  rootLengthOf(row: number): number {
    return this.rootLength[row];
  }

  /** Drops the rows from `count` on (undoing an append), keeping the sums those before it give. */
  truncate(count: number): void {
    const { dim } = this.layout;
    const f32 = this.arena.f32;
    for (let r = count; r < this.rows; r++) {
      const at = this.exactRow(r);
      const p = powerTransformInto(f32.subarray(at, at + dim), this.transformed);
      for (let i = 0; i < dim; i++) {
        this.sum[i] -= p[i];
        this.sumSquares[i] -= p[i] * p[i];
      }
    }
    let before = 0;
    const kept = this.blocks.filter((block) => {
      const held = block.count;
      block.count = Math.max(0, Math.min(held, count - before));
      before += held;
      if (block.count > 0) return true;
      this.releaseBlock(block);
      return false;
    });
    this.blocks.splice(0, this.blocks.length, ...kept);
    this.rows = Math.min(this.rows, count);
  }

  /** Gives every block back to the arena; the class is empty afterwards. */
  release(): void {
    this.blocks.forEach((b) => this.releaseBlock(b));
    this.blocks.length = 0;
    this.rows = 0;
    this.sum.fill(0);
    this.sumSquares.fill(0);
  }

  /** Writes the row of `vectors` starting at `start` as the class's next row, at unit length. */
  private writeRow(block: Block, vectors: ArrayLike<number>, start: number): void {
    const { dim, exactStride, indexStride } = this.layout;
    const row = this.rows;
    const f32 = this.arena.f32;
    const exact = (block.exact + block.count * exactStride) / 4;
    let sumSquares = 0;
    for (let i = 0; i < dim; i++) {
      f32[exact + i] = vectors[start + i];
      sumSquares += f32[exact + i] * f32[exact + i];
    }
    const norm = Math.sqrt(sumSquares);
    if (norm > 0 && Math.abs(norm - 1) > 1e-6) for (let i = 0; i < dim; i++) f32[exact + i] /= norm;
    const p = this.transformed;
    this.rootLength[row] = powerTransformLength(f32.subarray(exact, exact + dim), p);
    let max = 0;
    for (let i = 0; i < dim; i++) {
      this.sum[i] += p[i];
      this.sumSquares[i] += p[i] * p[i];
      if (p[i] > max) max = p[i];
    }
    const scale = max / 255;
    const u8 = this.arena.u8;
    const index = block.index + block.count * indexStride;
    let error = 0;
    for (let i = 0; i < dim; i++) {
      const byte = scale > 0 ? Math.round(p[i] / scale) : 0;
      u8[index + i] = byte;
      error += (p[i] - byte * scale) ** 2;
    }
    this.indexScale[row] = scale;
    this.indexError[row] = Math.sqrt(error);
    block.count++;
    this.rows++;
  }

  private locate(row: number): { block: Block; at: number } {
    let first = 0;
    for (const block of this.blocks) {
      if (row < first + block.count) return { block, at: row - first };
      first += block.count;
    }
    throw new RangeError(`Row ${row} of ${this.rows}.`);
  }

  private allocateBlock(capacity: number): Block {
    const { exactStride, indexStride } = this.layout;
    const exact = this.arena.allocate(capacity * exactStride);
    let index: number;
    try {
      index = this.arena.allocate(capacity * indexStride);
    } catch (error) {
      this.arena.release(exact, capacity * exactStride);
      throw error;
    }
    // Padding must be zeros: the kernels sum over it.
    this.arena.u8.fill(0, exact, exact + capacity * exactStride);
    this.arena.u8.fill(0, index, index + capacity * indexStride);
    return { exact, index, capacity, count: 0 };
  }

  private releaseBlock(block: Block): void {
    this.arena.release(block.exact, block.capacity * this.layout.exactStride);
    this.arena.release(block.index, block.capacity * this.layout.indexStride);
  }
}
