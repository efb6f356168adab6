/** The image inside a thumbnail's data URL, decoded without the DOM. */
import { decodeBase64 } from './float32-base64';

export function decodeDataUrl(url: string): { type: string; bytes: Uint8Array<ArrayBuffer> } {
  const match = /^data:(image\/(?:jpeg|png|webp));base64,(.*)$/s.exec(url);
  if (!match) throw new Error('Not a base64 JPEG, PNG or WebP data URL.');
  return { type: match[1], bytes: decodeBase64(match[2]) };
}
