/**
 * One class's examples in a WasmArena, in blocks of rows (so adding one never copies the others):
 * - its power transform (step 1 of feature-space.ts) in 8 bits, with one scale per row: the index the default vote
 *   scans, with each row's rounding error (its residual's length) kept to bound the error;
 * - each example exactly as given (unit length, f32), for reading back, exports, exact similarities and the
 *   'mean-of-k' vote, kept as 3 bytes per number on top of its index byte (4 bytes in all, as many as the f32 alone),
 *   as row-encoder.ts codes it, with the numbers kept whole (exceptions) as (column, f32 bits) pairs in chunks of the
 *   arena, so the vote worker reads them where they are;
 * - the sums of the power-transformed rows and of their squares, all that steps 2 and 3 need of the class.
 */
import { powerTransformInto, powerTransformLength } from '../../analysis/feature-space';
import type { WasmArena } from './arena';
import { RESIDUAL_OFFSET, RowEncoder } from './row-encoder';
import { grown, StoredRows, type Block } from './stored-rows';

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

/** Blocks hold at most this many rows, so a class's last, partly filled block wastes at most this many. */
const MAX_BLOCK_ROWS = 1024;
const MIN_BLOCK_ROWS = 16;
/** Exceptions are kept in chunks of at least this many bytes (and room for a whole row's). */
const MIN_EXCEPTION_CHUNK = 16384;

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

export class ClassRows extends StoredRows {
  private removed = 0;
  /** Where exactRow decodes a row in the arena (allocated on first use). */
  private decoded: number | null = null;
  /** The row being written, and its bits. */
  private readonly unit: Float32Array;
  private readonly unitBits: Int32Array;
  private readonly encoder = new RowEncoder();
  readonly sum: Float64Array;
  readonly sumSquares: Float64Array;
  private readonly transformed: Float32Array;
  /** The arena chunks holding the exceptions, filled in row order, and where the next row's go in the last one. */
  private readonly exceptionChunks: number[] = [];
  private readonly exceptionChunkBytes: number;
  private exceptionFill = 0;

  constructor(arena: WasmArena, layout: RowLayout) {
    super(arena, layout);
    this.sum = new Float64Array(layout.dim);
    this.sumSquares = new Float64Array(layout.dim);
    this.transformed = new Float32Array(layout.dim);
    this.unit = new Float32Array(layout.dim);
    this.unitBits = new Int32Array(this.unit.buffer);
    this.exceptionChunkBytes = nextPowerOfTwo(Math.max(MIN_EXCEPTION_CHUNK, 8 * layout.dim));
  }

  /** Bytes this class holds outside the arena: per-row and per-component arrays. */
  get sideBytes(): number {
    const perRow = this.indexScale.length + this.indexError.length + this.rootLength.length + this.exceptionAt.length + this.exceptionPairs.length;
    return 4 * perRow + 8 * 2 * this.layout.dim + 8 * this.layout.dim;
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
    this.exceptionAt = grown(this.exceptionAt, this.rows + n);
    this.exceptionPairs = grown(this.exceptionPairs, this.rows + n);
    let block = this.blocks.findIndex((b) => b.count < b.capacity);
    for (let r = 0; r < n; r++) {
      while (this.blocks[block].count === this.blocks[block].capacity) block++;
      this.writeRow(this.blocks[block], vectors, r * dim);
    }
  }

  protected decodeSlot(): number {
    this.decoded ??= this.arena.allocate(this.layout.exactStride);
    return this.decoded;
  }

  /**
   * Writes to `out` (f32, one per row) the dots of rows 0 .. rows - 1, exact, with the f32 query at `query`:
   * dotsF32 of the exact rows, bit for bit, without decoding those with no exceptions. `steps` is room for one f32
   * per row of a block.
   */
  exactDots(query: number, out: number, steps: number, rows = this.rows): void {
    const { indexStride, exactStride } = this.layout;
    let first = 0;
    for (const block of this.blocks) {
      if (first >= rows) break;
      const count = Math.min(block.count, rows - first);
      const f32 = this.arena.f32;
      for (let r = 0; r < count; r++) f32[steps / 4 + r] = this.stepOf(first + r);
      this.arena.dotsCoded(block.index, block.lo, block.hi, count, indexStride, steps, RESIDUAL_OFFSET, exactStride / 4, query, out + 4 * first);
      first += count;
    }
    for (let row = 0; row < rows; row++) {
      if (this.exceptionPairs[row] > 0) this.arena.dotsF32(this.exactRow(row) * 4, 1, exactStride, query, out + 4 * row);
    }
  }

  /** A copy of rows `from` onwards, exact, `dim` numbers each. */
  copyRows(from = 0): Float32Array {
    const out = new Float32Array(Math.max(0, this.rows - from) * this.layout.dim);
    this.copyRowsInto(out, from, this.rows);
    return out;
  }

  /** Writes rows `from` .. `to` - 1, exact, to `out` from its start. */
  copyRowsInto(out: Float32Array, from: number, to: number): void {
    const { dim } = this.layout;
    for (let r = from; r < to; r++) {
      const at = this.exactRow(r);
      out.set(this.arena.f32.subarray(at, at + dim), (r - from) * dim);
    }
  }

  /** Bumped whenever rows are removed: a read in several steps that sees it change has read rows that are gone. */
  get removals(): number {
    return this.removed;
  }

  /** Drops the rows from `count` on (undoing an append), keeping the sums those before it give. */
  truncate(count: number): void {
    const { dim } = this.layout;
    for (let r = count; r < this.rows; r++) {
      const at = this.exactRow(r);
      const p = powerTransformInto(this.arena.f32.subarray(at, at + dim), this.transformed);
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
    this.dropExceptionsFrom(count);
    if (count < this.rows) this.removed++;
    this.rows = Math.min(this.rows, count);
  }

  /** Gives every block back to the arena; the class is empty afterwards. */
  release(): void {
    this.blocks.forEach((b) => this.releaseBlock(b));
    this.blocks.length = 0;
    if (this.rows > 0) this.removed++;
    this.rows = 0;
    this.releaseExceptions();
    if (this.decoded !== null) this.arena.release(this.decoded, this.layout.exactStride);
    this.decoded = null;
    this.sum.fill(0);
    this.sumSquares.fill(0);
  }

  /** Writes the row of `vectors` starting at `start` as the class's next row, at unit length. */
  private writeRow(block: Block, vectors: ArrayLike<number>, start: number): void {
    const { dim, indexStride } = this.layout;
    const row = this.rows;
    const unit = this.unit;
    let sumSquares = 0;
    for (let i = 0; i < dim; i++) {
      unit[i] = vectors[start + i];
      sumSquares += unit[i] * unit[i];
    }
    const norm = Math.sqrt(sumSquares);
    if (norm > 0 && Math.abs(norm - 1) > 1e-6) for (let i = 0; i < dim; i++) unit[i] /= norm;
    const p = this.transformed;
    this.rootLength[row] = powerTransformLength(unit, p);
    let max = 0;
    for (let i = 0; i < dim; i++) if (p[i] > max) max = p[i];
    const scale = max / 255;
    this.indexScale[row] = scale;
    const { error, exceptions } = this.encoder.encode(
      this.arena,
      { index: block.index + block.count * indexStride, lo: block.lo + 2 * block.count * indexStride, hi: block.hi + block.count * indexStride },
      p,
      this.unitBits,
      scale,
      this.stepOf(row),
    );
    // Kept before the sums change: a RangeError here (out of memory) leaves the class as it was.
    this.keepExceptions(row, exceptions);
    for (let i = 0; i < dim; i++) {
      this.sum[i] += p[i];
      this.sumSquares[i] += p[i] * p[i];
    }
    this.indexError[row] = error;
    block.count++;
    this.rows++;
  }

  /** Writes row `row`'s exception pairs after the last row's, in a new chunk when the last one is full. */
  private keepExceptions(row: number, pairs: Int32Array | null): void {
    this.exceptionPairs[row] = 0;
    if (!pairs) return;
    const bytes = pairs.byteLength;
    const last = this.exceptionChunks.at(-1);
    if (last === undefined || this.exceptionFill + bytes > last + this.exceptionChunkBytes) {
      this.exceptionChunks.push(this.arena.allocate(this.exceptionChunkBytes));
      this.exceptionFill = this.exceptionChunks.at(-1)!;
    }
    this.arena.i32.set(pairs, this.exceptionFill / 4);
    this.exceptionAt[row] = this.exceptionFill;
    this.exceptionPairs[row] = pairs.length / 2;
    this.exceptionFill += bytes;
  }

  /** Gives back the room of the exceptions of rows `from` on: the last ones written, as rows are written in order. */
  private dropExceptionsFrom(from: number): void {
    let first = from;
    while (first < this.rows && this.exceptionPairs[first] === 0) first++;
    if (first === this.rows) return;
    const at = this.exceptionAt[first];
    const holds = (chunk: number) => at >= chunk && at < chunk + this.exceptionChunkBytes;
    while (!holds(this.exceptionChunks.at(-1)!)) this.arena.release(this.exceptionChunks.pop()!, this.exceptionChunkBytes);
    this.exceptionFill = at;
  }

  private releaseExceptions(): void {
    for (const chunk of this.exceptionChunks.splice(0)) this.arena.release(chunk, this.exceptionChunkBytes);
    this.exceptionFill = 0;
  }

  private allocateBlock(capacity: number): Block {
    const bytes = capacity * this.layout.indexStride;
    const taken: number[] = [];
    try {
      for (const size of [bytes, 2 * bytes, bytes]) taken.push(this.arena.allocate(size));
    } catch (error) {
      taken.forEach((offset, i) => this.arena.release(offset, i === 1 ? 2 * bytes : bytes));
      throw error;
    }
    const [index, lo, hi] = taken;
    // Padding must be zeros: the kernels sum over it, and it decodes to zeros.
    this.arena.u8.fill(0, index, index + bytes);
    this.arena.u8.fill(0, lo, lo + 2 * bytes);
    this.arena.u8.fill(0, hi, hi + bytes);
    return { index, lo, hi, capacity, count: 0 };
  }

  private releaseBlock(block: Block): void {
    const bytes = block.capacity * this.layout.indexStride;
    this.arena.release(block.index, bytes);
    this.arena.release(block.lo, 2 * bytes);
    this.arena.release(block.hi, bytes);
  }
}
