/** Reads a sound file the user picked into a class output, refusing what cannot be played or is too long. */
import { SOUND_LIMITS, type ClassOutput } from './class-output';

export class SoundFileError extends Error {
  override name = 'SoundFileError';
}

export type SoundOutput = Extract<ClassOutput, { kind: 'sound' }>;

/**
 * @param decode decodes the bytes (AudioContext.decodeAudioData); it rejects what is not audio it can play.
 * @throws SoundFileError saying what is wrong with the file.
 */
export async function readSoundFile(file: File, decode: (bytes: ArrayBuffer) => Promise<AudioBuffer>): Promise<SoundOutput> {
  const name = (file.name || 'sound').slice(0, SOUND_LIMITS.maxNameLength);
  if (file.size === 0) throw new SoundFileError(`"${name}" is empty.`);
  if (file.size > SOUND_LIMITS.maxBytes) {
    throw new SoundFileError(
      `"${name}" is ${megabytes(file.size)} MB; a sound may be at most ${megabytes(SOUND_LIMITS.maxBytes)} MB. Pick a shorter or compressed one (MP3, Ogg, M4A).`,
    );
  }
  let buffer: AudioBuffer;
  try {
    buffer = await decode(await file.arrayBuffer());
  } catch {
    throw new SoundFileError(`"${name}" is not a sound this browser can play. Pick an audio file (MP3, WAV, Ogg, M4A).`);
  }
  if (buffer.duration > SOUND_LIMITS.maxSeconds) {
    throw new SoundFileError(`"${name}" lasts ${buffer.duration.toFixed(1)} s; a sound may last at most ${SOUND_LIMITS.maxSeconds} s.`);
  }
  return { kind: 'sound', name, dataUrl: await audioDataUrl(file) };
}

function megabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100);
}

/** The file as a data URL whose type is audio/* (decoding sniffs the bytes, so the type is only a label). */
function audioDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const base64 = String(reader.result).slice(String(reader.result).indexOf(',') + 1);
      const type = /^audio\/[a-z0-9.+-]{1,40}$/.test(file.type) ? file.type : 'audio/x-unknown';
      resolve(`data:${type};base64,${base64}`);
    };
    reader.onerror = () => reject(new SoundFileError(`"${file.name}" could not be read.`));
    reader.readAsDataURL(file);
  });
}
