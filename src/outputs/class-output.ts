/**
 * What a class does when it becomes the stable top class, and the checks a saved or imported choice must
 * pass. No DOM here: the dataset reader (also run in Node) uses it.
 */

export type ToneName = 'high' | 'low' | 'chime';

/** Built-in tones: the notes (Hz) played one after the other. */
export const TONES: Readonly<Record<ToneName, { readonly name: string; readonly notes: readonly number[] }>> = {
  high: { name: 'High beep', notes: [880] },
  low: { name: 'Low beep', notes: [330] },
  chime: { name: 'Chime', notes: [660, 990] },
};

export type ClassOutput =
  | { readonly kind: 'none' }
  | { readonly kind: 'tone'; readonly tone: ToneName }
  /** A sound file the user picked, kept whole so it is saved and exported with the class. */
  | { readonly kind: 'sound'; readonly name: string; readonly dataUrl: string }
  /** The label, spoken with speechSynthesis. */
  | { readonly kind: 'speech' }
  /** A message on the BroadcastChannel (src/outputs/broadcast.ts) for other pages of the same origin. */
  | { readonly kind: 'broadcast' };

export type OutputKind = ClassOutput['kind'];

export const NO_OUTPUT: ClassOutput = { kind: 'none' };

/**
 * A sound lasts at most `maxSeconds` (an output is a cue, not a song) and its file is at most `maxBytes`:
 * it is stored in the browser and in every exported file, and 100 classes of it must still fit a file.
 */
export const SOUND_LIMITS = { maxBytes: 1024 * 1024, maxSeconds: 10, maxNameLength: 100 } as const;

/** Characters of the largest sound's data URL. */
export const MAX_SOUND_DATA_URL_LENGTH = 64 + Math.ceil(SOUND_LIMITS.maxBytes / 3) * 4;

const SOUND_DATA_URL = /^data:audio\/[a-z0-9.+-]{1,40};base64,(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isToneName(value: unknown): value is ToneName {
  return typeof value === 'string' && Object.hasOwn(TONES, value);
}

/**
 * A class output read from storage or a file. Throws an Error whose message says what is wrong, for the
 * caller to place ("classes[2] ...: output: ...").
 */
export function parseClassOutput(value: unknown): ClassOutput {
  if (value === undefined || value === null) return NO_OUTPUT;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('an output must be an object with a "kind"');
  const output = value as Record<string, unknown>;
  switch (output.kind) {
    case 'none':
    case 'speech':
    case 'broadcast':
      return { kind: output.kind };
    case 'tone':
      if (!isToneName(output.tone)) throw new Error(`"tone" must be one of ${Object.keys(TONES).join(', ')}`);
      return { kind: 'tone', tone: output.tone };
    case 'sound': {
      const { name, dataUrl } = output;
      if (typeof name !== 'string' || !name || name.length > SOUND_LIMITS.maxNameLength) {
        throw new Error(`a sound's "name" must be text of 1 to ${SOUND_LIMITS.maxNameLength} characters`);
      }
      if (typeof dataUrl !== 'string' || dataUrl.length > MAX_SOUND_DATA_URL_LENGTH) {
        throw new Error(`a sound's "dataUrl" must be text of at most ${MAX_SOUND_DATA_URL_LENGTH} characters`);
      }
      if (!SOUND_DATA_URL.test(dataUrl)) throw new Error('a sound\'s "dataUrl" must be a base64 audio data URL');
      return { kind: 'sound', name, dataUrl };
    }
    default:
      throw new Error('"kind" must be "none", "tone", "sound", "speech" or "broadcast"');
  }
}

/** Two outputs do the same thing. */
export function sameOutput(a: ClassOutput, b: ClassOutput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
