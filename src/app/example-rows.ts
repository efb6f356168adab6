/**
 * Row arithmetic on a class's examples (rows of `dim` numbers in one Float32Array): taking rows out, putting them
 * back where they were, and finding rows already present, for deleting, undoing and importing without doubles.
 */

/** Rows taken out of a class: their positions (ascending) and numbers, enough to put them back where they were. */
export interface TakenRows {
  readonly rows: readonly number[];
  readonly vectors: Float32Array;
}

/** The distinct valid rows of `rows` (whole numbers below `count`), ascending. */
export function sortedRows(rows: Iterable<number>, count: number): number[] {
  return [...new Set(rows)].filter((r) => Number.isInteger(r) && r >= 0 && r < count).sort((a, b) => a - b);
}

/** Splits `vectors` into the rows kept and the rows taken (`rows` ascending, each below the row count). */
export function takeRows(vectors: Float32Array, dim: number, rows: readonly number[]): { kept: Float32Array; taken: TakenRows } {
  const count = vectors.length / dim;
  const kept = new Float32Array((count - rows.length) * dim);
  const taken = new Float32Array(rows.length * dim);
  let next = 0;
  let keptRow = 0;
  for (let row = 0; row < count; row++) {
    const source = vectors.subarray(row * dim, (row + 1) * dim);
    if (next < rows.length && rows[next] === row) taken.set(source, next++ * dim);
    else kept.set(source, keptRow++ * dim);
  }
  return { kept, taken: { rows, vectors: taken } };
}

/**
 * Puts taken rows back at their positions. Rows added after they were taken come after the rows that were there
 * then, so positions are as they were as long as the class only grew at its end meanwhile (the undo order ensures it).
 * `origin[row]` says where each row came from: a kept row's index, or -1 - the index among the taken rows.
 */
export function putRowsBack(vectors: Float32Array, dim: number, taken: TakenRows): { vectors: Float32Array; origin: Int32Array } {
  const keptCount = vectors.length / dim;
  const total = keptCount + taken.rows.length;
  const out = new Float32Array(total * dim);
  const origin = new Int32Array(total);
  let next = 0;
  let keptRow = 0;
  for (let row = 0; row < total; row++) {
    // A taken row goes at its position, or at the end should the class have shrunk below it.
    if (next < taken.rows.length && (taken.rows[next] === row || keptRow === keptCount)) {
      out.set(taken.vectors.subarray(next * dim, (next + 1) * dim), row * dim);
      origin[row] = -1 - next++;
    } else {
      out.set(vectors.subarray(keptRow * dim, (keptRow + 1) * dim), row * dim);
      origin[row] = keptRow++;
    }
  }
  return { vectors: out, origin };
}

/**
 * `row` scaled to unit length as the k-NN store stores it (store/class-rows.ts: f32 numbers, left as they are when
 * their length is within 1e-6 of 1), so that a file's row can be compared bit for bit with the stored rows.
 */
export function storedForm(row: Float32Array): Float32Array {
  let sumSquares = 0;
  for (let i = 0; i < row.length; i++) sumSquares += row[i] * row[i];
  const norm = Math.sqrt(sumSquares);
  if (!(norm > 0) || Math.abs(norm - 1) <= 1e-6) return row;
  const unit = new Float32Array(row.length);
  for (let i = 0; i < row.length; i++) unit[i] = row[i] / norm;
  return unit;
}

/** FNV-1a over the row's bits: equal rows hash equal; a match is then checked bit for bit. */
function hashRow(bits: Uint32Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ bits[i], 0x01000193);
  return hash >>> 0;
}

const bitsOf = (row: Float32Array) => new Uint32Array(row.buffer, row.byteOffset, row.length);

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The rows of a class, for asking whether a row is already there (identical bits). */
export class RowSet {
  private readonly byHash = new Map<number, Uint32Array[]>();

  constructor(private readonly dim: number) {}

  /** Adds the row; false when an identical row was there already. */
  add(row: Float32Array): boolean {
    const bits = bitsOf(row);
    const hash = hashRow(bits);
    const bucket = this.byHash.get(hash);
    if (bucket?.some((other) => sameBits(other, bits))) return false;
    if (bucket) bucket.push(bits);
    else this.byHash.set(hash, [bits]);
    return true;
  }

  has(row: Float32Array): boolean {
    const bits = bitsOf(row);
    return this.byHash.get(hashRow(bits))?.some((other) => sameBits(other, bits)) ?? false;
  }

  /** Adds every row of `vectors` (rows of the set's dimension). */
  addAll(vectors: Float32Array): void {
    for (let start = 0; start < vectors.length; start += this.dim) this.add(vectors.subarray(start, start + this.dim));
  }
}

/**
 * The rows of `incoming` not in `present` (compared in the stored form), and the positions of the rows kept (for
 * keeping their thumbnails). Doubles within `incoming` itself are kept: a file may hold the same frame twice.
 */
export function newRows(present: Float32Array, incoming: Float32Array, dim: number): { vectors: Float32Array; kept: number[] } {
  const set = new RowSet(dim);
  set.addAll(present);
  const kept: number[] = [];
  for (let row = 0; row < incoming.length / dim; row++) {
    if (!set.has(storedForm(incoming.subarray(row * dim, (row + 1) * dim)))) kept.push(row);
  }
  if (kept.length * dim === incoming.length) return { vectors: incoming, kept };
  const vectors = new Float32Array(kept.length * dim);
  kept.forEach((row, i) => vectors.set(incoming.subarray(row * dim, (row + 1) * dim), i * dim));
  return { vectors, kept };
}
