/**
 * What reading a class's rows needs (class-rows.ts writes them): where its blocks are in the arena, each row's index
 * scale, rounding error and root length, and where its exceptions are (they too are in the arena). ClassRows holds
 * them on the page; a copy of them, kept up to date with RowsUpdate, lets the vote worker (vote-worker.ts) read the
 * same rows in the same shared memory.
 */
import type { WasmArena } from './arena';
import type { RowLayout } from './class-rows';
import { RESIDUAL_OFFSET } from './row-encoder';

export interface Block {
  readonly index: number;
  /** The residuals' low 16 bits (u16 per number, rows of 2 x indexStride bytes) and high 8 bits (as the index). */
  readonly lo: number;
  readonly hi: number;
  readonly capacity: number;
  count: number;
}

/** Numbers per block in RowsUpdate.blocks: index, lo, hi, capacity, count. */
const BLOCK_FIELDS = 5;

/**
 * The rows of a class from `from` to `count` for a copy that holds those before `from` already: its blocks (all of
 * them: a few dozen numbers), the per-row numbers of the new rows, and their exceptions.
 */
export interface RowsUpdate {
  readonly from: number;
  readonly count: number;
  readonly blocks: Int32Array;
  readonly scale: Float32Array;
  readonly error: Float32Array;
  readonly rootLength: Float32Array;
  /**
   * Per new row: the arena offset of its exceptions and how many (column, f32 bits) pairs it has. Numbers, not the
   * pairs: one small array per row made the first query after an import of 50,000 rows with negative numbers take
   * 0.85 s of the page's thread to send (93 ms with rows as real embeddings make them).
   */
  readonly exceptionAt: Int32Array;
  readonly exceptionPairs: Int32Array;
}

export function grown<T extends Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer>>(array: T, length: number): T {
  if (array.length >= length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(length, array.length * 2, 16));
  bigger.set(array);
  return bigger;
}

export abstract class StoredRows {
  protected readonly blocks: Block[] = [];
  protected rows = 0;
  /**
   * Per row: how many of its numbers lie outside their residual window, and the arena offset of their (column, f32
   * bits) pairs.
   */
  protected exceptionPairs: Int32Array<ArrayBuffer> = new Int32Array(0);
  protected exceptionAt: Int32Array<ArrayBuffer> = new Int32Array(0);
  /** Per row: the 8-bit index's scale (value = byte x scale) and the length of its rounding error. */
  protected indexScale: Float32Array<ArrayBuffer> = new Float32Array(0);
  protected indexError: Float32Array<ArrayBuffer> = new Float32Array(0);
  /** Per row: the length of the power transform before its scaling to unit length. */
  protected rootLength: Float32Array<ArrayBuffer> = new Float32Array(0);

  constructor(
    protected readonly arena: WasmArena,
    readonly layout: RowLayout,
  ) {}

  get count(): number {
    return this.rows;
  }

  /** Where exactRow decodes a row in the arena: room for one row of exactStride bytes. */
  protected abstract decodeSlot(): number;

  /**
   * Row `row`'s offset in the arena's f32 view, where its exact vector is decoded (padded with zeros to exactStride):
   * valid until the next call.
   */
  exactRow(row: number): number {
    const { block, at } = this.locate(row);
    const slot = this.decodeSlot();
    this.decodeRow(block, at, row, slot);
    return slot / 4;
  }

  /**
   * Writes to `out` (f32) the dot of row `row`'s square roots (negatives as 0) with the f32 query at `query`:
   * dotsSqrtF32 of its exact row, bit for bit, without decoding it when it has no exceptions.
   */
  sqrtDot(row: number, query: number, out: number): void {
    const { exactStride, indexStride } = this.layout;
    if (this.exceptionPairs[row] > 0) {
      this.arena.dotsSqrtF32(this.exactRow(row) * 4, 1, exactStride, query, out);
      return;
    }
    const { block, at } = this.locate(row);
    this.arena.dotsSqrtCoded(block.index + at * indexStride, block.lo + 2 * at * indexStride, block.hi + at * indexStride, this.stepOf(row), RESIDUAL_OFFSET, exactStride / 4, query, out);
  }

  /** Calls `visit` with each block of rows: where its rows start (as row numbers), and its index's offset. */
  forEachBlock(visit: (firstRow: number, count: number, index: number) => void, rows = this.rows): void {
    let first = 0;
    for (const block of this.blocks) {
      if (first >= rows) return;
      visit(first, Math.min(block.count, rows - first), block.index);
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

  /** What a copy holding rows before `from` needs to read rows `from` .. `to` - 1 too. */
  updateFor(from: number, to: number): RowsUpdate {
    const blocks = new Int32Array(BLOCK_FIELDS * this.blocks.length);
    this.blocks.forEach((b, i) => blocks.set([b.index, b.lo, b.hi, b.capacity, b.count], BLOCK_FIELDS * i));
    return {
      from,
      count: to,
      blocks,
      scale: this.indexScale.slice(from, to),
      error: this.indexError.slice(from, to),
      rootLength: this.rootLength.slice(from, to),
      exceptionAt: this.exceptionAt.slice(from, to),
      exceptionPairs: this.exceptionPairs.slice(from, to),
    };
  }

  /** The index step of row `row` in the units of its exact numbers: sqrt(u) is about byte x t. */
  protected stepOf(row: number): number {
    return Math.fround(this.indexScale[row] * this.rootLength[row]);
  }

  protected decodeRow(block: Block, at: number, row: number, out: number): void {
    const { indexStride, exactStride } = this.layout;
    const index = block.index + at * indexStride;
    this.arena.decodeRow(index, block.lo + 2 * at * indexStride, block.hi + at * indexStride, this.stepOf(row), RESIDUAL_OFFSET, exactStride / 4, out);
    const pairs = this.exceptionPairs[row];
    const i32 = this.arena.i32;
    for (let k = 0, at = this.exceptionAt[row] / 4; k < pairs; k++, at += 2) i32[out / 4 + i32[at]] = i32[at + 1];
  }

  protected locate(row: number): { block: Block; at: number } {
    let first = 0;
    for (const block of this.blocks) {
      if (row < first + block.count) return { block, at: row - first };
      first += block.count;
    }
    throw new RangeError(`Row ${row} of ${this.rows}.`);
  }
}

/**
 * A copy of a class's rows kept by the vote worker: the page's ClassRows sends it RowsUpdates; the rows themselves
 * are read in the shared memory. It decodes rows with exceptions into a slot of its own.
 */
export class MirroredRows extends StoredRows {
  private slot = 0;

  /** Sets where exactRow decodes (the page gives each worker query its room). */
  useDecodeSlot(offset: number): void {
    this.slot = offset;
  }

  protected decodeSlot(): number {
    return this.slot;
  }

  /** Takes in `update`; its `from` must be at most the rows held (0 starts afresh). */
  apply(update: RowsUpdate): void {
    if (update.from > this.rows) throw new RangeError(`An update from row ${update.from} for a copy of ${this.rows} rows.`);
    this.blocks.length = 0;
    for (let i = 0; i < update.blocks.length; i += BLOCK_FIELDS) {
      const [index, lo, hi, capacity, count] = update.blocks.subarray(i, i + BLOCK_FIELDS);
      this.blocks.push({ index, lo, hi, capacity, count });
    }
    this.indexScale = grown(this.indexScale, update.count);
    this.indexError = grown(this.indexError, update.count);
    this.rootLength = grown(this.rootLength, update.count);
    this.indexScale.set(update.scale, update.from);
    this.indexError.set(update.error, update.from);
    this.rootLength.set(update.rootLength, update.from);
    this.exceptionAt = grown(this.exceptionAt, update.count);
    this.exceptionPairs = grown(this.exceptionPairs, update.count);
    this.exceptionAt.set(update.exceptionAt, update.from);
    this.exceptionPairs.set(update.exceptionPairs, update.from);
    this.rows = update.count;
  }
}
