/**
 * Gzip for dataset files, with the streams every browser and Node 18+ have (CompressionStream): an exported file can
 * be gzipped, and an import (and `npm run dataset`) reads a gzipped file as it reads a plain one. Decompressing stops
 * at the file size limit, so a small file that would inflate to gigabytes is refused, not swallowed.
 */
import { DatasetError } from './errors';
import { DATASET_LIMITS, type DatasetLimits } from './limits';

/** A gzip stream begins with these two bytes (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function gzip(parts: readonly BlobPart[]): Promise<Blob> {
  const stream = new Blob(parts as BlobPart[]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).blob();
}

/** The bytes `bytes` inflate to; refused past limits.maxFileBytes, or when they are not whole gzip. */
export async function gunzip(bytes: Uint8Array<ArrayBuffer>, limits: DatasetLimits = DATASET_LIMITS): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const pieces: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > limits.maxFileBytes) {
        await reader.cancel();
        throw new DatasetError(`the gzipped file holds more than the limit of ${Math.round(limits.maxFileBytes / 2 ** 20)} MB`);
      }
      pieces.push(value);
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`the file starts as gzip, but cannot be unpacked (${error instanceof Error ? error.message : String(error)})`);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
