/**
 * How a file stores its vectors (docs/dataset-format.md, "Compact files"). Version 1 files hold float32s, exact to
 * the bit. Version 2 files name an `encoding`:
 *   - "float16": each number as an IEEE 754 half (2 bytes, about 3 significant digits);
 *   - "int8": each row as signed bytes times the row's own scale (a float32 in `scales`): 1 byte a number.
 * Rows come back close to, not exactly, what was written; the store scales them to unit length again.
 */
import { decodeBase64, decodeFloat32, encodeBase64, encodeFloat32, encodedLength } from './float32-base64';

export const VECTOR_ENCODINGS = ['float32', 'float16', 'int8'] as const;
export type VectorEncoding = (typeof VECTOR_ENCODINGS)[number];

export const isVectorEncoding = (value: unknown): value is VectorEncoding => VECTOR_ENCODINGS.includes(value as VectorEncoding);

/** Bytes a number takes before base64. */
export const BYTES_PER_NUMBER: Readonly<Record<VectorEncoding, number>> = { float32: 4, float16: 2, int8: 1 };

export interface EncodedVectors {
  readonly vectors: string;
  /** int8 only: base64 of one float32 per row. */
  readonly scales?: string;
}

/** Base64 characters of `rows` rows of `dimension` numbers (the `vectors` field). */
export function encodedVectorsLength(rows: number, dimension: number, encoding: VectorEncoding): number {
  return Math.ceil((rows * dimension * BYTES_PER_NUMBER[encoding]) / 3) * 4;
}

export function encodeVectors(values: Float32Array, dimension: number, encoding: VectorEncoding): EncodedVectors {
  if (encoding === 'float32') return { vectors: encodeFloat32(values) };
  if (encoding === 'float16') {
    const bytes = new Uint8Array(values.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setUint16(i * 2, toHalf(values[i]), true);
    return { vectors: encodeBase64(bytes) };
  }
  const rows = values.length / dimension;
  const bytes = new Int8Array(values.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let largest = 0;
    for (let i = r * dimension; i < (r + 1) * dimension; i++) largest = Math.max(largest, Math.abs(values[i]));
    const scale = largest / 127;
    scales[r] = scale;
    for (let i = r * dimension; i < (r + 1) * dimension; i++) bytes[i] = scale > 0 ? Math.round(values[i] / scale) : 0;
  }
  return { vectors: encodeBase64(new Uint8Array(bytes.buffer)), scales: encodeFloat32(scales) };
}

/**
 * The numbers of `encoded`, `rows` rows of `dimension`. Throws an Error saying what is wrong: text that is not
 * base64, a length that disagrees, a half that is NaN or infinite, a scale that is not a finite number from 0.
 */
export function decodeVectors(encoded: EncodedVectors, rows: number, dimension: number, encoding: VectorEncoding): Float32Array {
  if (encoding === 'float32') return decodeFloat32(encoded.vectors);
  const bytes = decodeBase64(encoded.vectors);
  const count = rows * dimension;
  if (bytes.length !== count * BYTES_PER_NUMBER[encoding]) throw new Error(`${bytes.length} bytes are not ${count} ${encoding} numbers`);
  const out = new Float32Array(count);
  if (encoding === 'float16') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) {
      const half = view.getUint16(i * 2, true);
      if ((half & 0x7c00) === 0x7c00) throw new Error(`number ${i % dimension} of example ${Math.floor(i / dimension)} is ${half & 0x3ff ? 'NaN' : 'infinite'}`);
      out[i] = fromHalf(half);
    }
    return out;
  }
  if (typeof encoded.scales !== 'string') throw new Error('"scales" must be a base64 string of one float32 per example');
  if (encoded.scales.length !== encodedLength(rows)) throw new Error(`"scales" has ${encoded.scales.length} characters, not the ${encodedLength(rows)} of ${rows} float32s`);
  const scales = decodeFloat32(encoded.scales);
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let r = 0; r < rows; r++) {
    const scale = scales[r];
    if (!(Number.isFinite(scale) && scale >= 0)) throw new Error(`the scale of example ${r} is ${scale}, not a finite number from 0`);
    for (let i = r * dimension; i < (r + 1) * dimension; i++) out[i] = signed[i] * scale;
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE 754 half nearest `value` (ties to even); beyond the largest half, infinity. */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const middle = 1 << (shift - 1);
    return sign | (half + (rest > middle || (rest === middle && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa rounds up into the exponent, as it should (and to infinity past the largest).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

export function fromHalf(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
