/**
 * How one row of a class (class-rows.ts) is coded in the arena: its power transform p as 8-bit bytes q with one
 * scale (the index the vote scans), and its exact unit-length numbers u as 24-bit residuals against that index. A
 * number u with q > 0 lies a little below ((q + 0.5) t)^2, where t is the row's index step in the units of u, so its
 * f32 bits are those of that bound, less at most 2^24: the difference is kept, 16 bits in `lo` and 8 in `hi`. A number
 * outside that window (negative, or tiny and nonzero) is kept whole as an exception. The arena's decodeRow undoes it.
 */
import type { WasmArena } from './arena';

/** A residual is bits(u) - bits(((q + 0.5) t)^2) - RESIDUAL_OFFSET, kept when in [0, 2^24). */
const RESIDUAL_LIMIT = 2 ** 24;
/** Room above the bound for the rounding of the square roots that chose q. */
const MARGIN = 64;
export const RESIDUAL_OFFSET = MARGIN - RESIDUAL_LIMIT;

/** Where a row's bytes go: its index bytes, its residuals' low 16 bits (u16) and high 8 bits, as arena offsets. */
export interface RowPlace {
  readonly index: number;
  readonly lo: number;
  readonly hi: number;
}

export class RowEncoder {
  /** The bound ((q + 0.5) t)^2 of the number being coded, and its bits. */
  private readonly edge = new Float32Array(1);
  private readonly edgeBits = new Int32Array(this.edge.buffer);

  /**
   * Writes the row whose power transform is `p` and whose exact numbers have the f32 bits `unitBits` at `place`,
   * with the index `scale` (p ≈ byte x scale) and `step` (t). Returns the length of the index's rounding error, and
   * the (column, f32 bits) pairs of the numbers kept as exceptions, or null when there are none.
   */
  encode(arena: WasmArena, place: RowPlace, p: Float32Array, unitBits: Int32Array, scale: number, step: number): { error: number; exceptions: Int32Array | null } {
    const u8 = arena.u8;
    const u16 = arena.u16;
    const lo = place.lo / 2;
    const exceptions: number[] = [];
    let error = 0;
    for (let i = 0; i < p.length; i++) {
      const byte = scale > 0 ? Math.round(p[i] / scale) : 0;
      u8[place.index + i] = byte;
      error += (p[i] - byte * scale) ** 2;
      let base = 0;
      if (byte > 0) {
        const edge = Math.fround((byte + 0.5) * step);
        this.edge[0] = edge * edge;
        base = this.edgeBits[0] + RESIDUAL_OFFSET;
      }
      const residual = unitBits[i] - base;
      if (residual >= 0 && residual < RESIDUAL_LIMIT) {
        u16[lo + i] = residual & 0xffff;
        u8[place.hi + i] = residual >>> 16;
      } else {
        // Decoded, this number is replaced by its exception.
        u16[lo + i] = 0;
        u8[place.hi + i] = 0;
        exceptions.push(i, unitBits[i]);
      }
    }
    return { error: Math.sqrt(error), exceptions: exceptions.length > 0 ? Int32Array.from(exceptions) : null };
  }
}
