/**
 * A checksum of rows of f32s, bit for bit and in order, fed piece by piece: what a saved fit of the space records of
 * the rows it was fitted over, so that rows restored from storage can be matched to it without fitting again. Each
 * word goes through a bijection of the running value (xor, multiply by an odd number, xor-shift), so any one word
 * changed changes the result; several changed collide with a chance of about 2^-32.
 */
export class RowsChecksum {
  private h = 0x811c9dc5;

  /** Adds `words[from..to)`: the bits of f32s, as an Int32Array view of their memory. */
  addWords(words: Int32Array, from = 0, to = words.length): void {
    let h = this.h;
    for (let i = from; i < to; i++) {
      h = Math.imul(h ^ words[i], 0x01000193);
      h ^= h >>> 13;
    }
    this.h = h;
  }

  /** Adds the bits of `values`. */
  add(values: Float32Array): void {
    this.addWords(new Int32Array(values.buffer, values.byteOffset, values.length));
  }

  get value(): number {
    return this.h >>> 0;
  }
}

/** The checksum of `values` alone. */
export function rowsChecksum(values: Float32Array): number {
  const sum = new RowsChecksum();
  sum.add(values);
  return sum.value;
}
