/**
 * What is stored in IndexedDB. Vectors are kept in chunks of ROWS_PER_CHUNK rows per model and class, so a
 * new example rewrites at most the last chunk, never the whole class. Bump SCHEMA_VERSION (and migrate in
 * the upgrade) when these shapes change.
 */
import type { ModelId } from '../models/catalog';
import { NO_OUTPUT } from '../outputs/class-output';
import type { SavedState } from '../app/teachable-state';

/**
 * 2: class sound files moved out of the state record into SOUND_STORE (a version-1 state holds them inline).
 * 3: each example's kept frame is a record of its own in FRAME_STORE (version 2 kept a class's newest 200 in one
 * THUMBNAIL_STORE record, which a version-3 store still reads, and moves at that class's next write); FIT_STORE
 * added (a database of version 2 has none: its spaces are fitted on restore, then saved).
 * 4: the kept frames are put FRAMES_PER_RECORD to a record (FrameChunkRecord); version 3's records of one frame are
 * still read, and replaced at their class's next write.
 */
export const SCHEMA_VERSION = 4;
export const ROWS_PER_CHUNK = 64;
/**
 * Kept frames a FRAME_STORE record holds. Read back in Chromium (medians of 5 reads), 10,000 frames of 9.6 kB took
 * 4.6 s one a record, 1.4 s 16 a record, 1.1 s 32 or 64 a record: most of a reload of 10,000 recorded examples was
 * reading their frames. 32 rather than 64: recording puts the last record again, half as much of it.
 */
export const FRAMES_PER_RECORD = 32;

export const STATE_STORE = 'state';
export const VECTOR_STORE = 'vectors';
export const THUMBNAIL_STORE = 'thumbnails';
export const SOUND_STORE = 'sounds';
export const FIT_STORE = 'fits';
export const FRAME_STORE = 'frames';
export const STATE_KEY = 'state';

export interface StateRecord extends SavedState {
  readonly savedAt: string;
  /** Names the write that stored this state (absent in states stored before the close journal existed). */
  readonly writeId?: string;
}

/**
 * A class's sound file, kept apart from the state record so that the autosave of every change does not write it
 * again (up to 1.4 MB as text; four of them took 12 to 29 ms of the page's time in each state write). The state
 * record names the sound with an empty data URL (SOUND_IN_STORE).
 */
export interface SoundRecord {
  readonly classId: string;
  readonly dataUrl: string;
}

/** The data URL a stored state's sound output has when its file is in SOUND_STORE. */
export const SOUND_IN_STORE = '';

export interface VectorChunkRecord {
  readonly modelId: ModelId;
  readonly classId: string;
  /** Rows chunk * ROWS_PER_CHUNK onwards. */
  readonly chunk: number;
  readonly dimension: number;
  /** Up to ROWS_PER_CHUNK rows of `dimension` unit-length numbers. */
  readonly data: Float32Array;
}

/** Version 2's kept frames of a class: still read, never written (see FRAME_STORE). */
export interface ThumbnailRecord {
  readonly modelId: ModelId;
  readonly classId: string;
  /** Oldest first; at most 200. */
  readonly urls: readonly string[];
}

/**
 * A model's k-NN space as fitted over its examples (KnnClassifier.savedFit), so that a restore need not fit it again:
 * it names the rows it was fitted over (counts and checksums), and is used only for exactly those, so one left
 * behind by later changes is simply fitted again (and then replaced). Written apart from the examples' writes.
 */
export interface FitRecord {
  readonly modelId: ModelId;
  /** A SavedFit, unchecked until used (KnnClassifier.useSavedFit checks it). */
  readonly fit: unknown;
}

/**
 * Kept frames of a class from its `index`-th on (oldest first; the frames are those of the class's newest examples):
 * FRAMES_PER_RECORD of them, fewer in the last record, `index` a multiple of FRAMES_PER_RECORD. Recording puts only
 * the last record again, with the new frames, never the class's whole list.
 */
export interface FrameChunkRecord {
  readonly modelId: ModelId;
  readonly classId: string;
  readonly index: number;
  /** JPEG data URLs. */
  readonly urls: readonly string[];
}

/** Version 3's record of one kept frame, its class's `index`-th: still read, never written (see FrameChunkRecord). */
export interface FrameRecord {
  readonly modelId: ModelId;
  readonly classId: string;
  readonly index: number;
  /** A JPEG data URL. */
  readonly url: string;
}

export function createStores(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(STATE_STORE)) db.createObjectStore(STATE_STORE);
  if (!db.objectStoreNames.contains(VECTOR_STORE)) db.createObjectStore(VECTOR_STORE, { keyPath: ['modelId', 'classId', 'chunk'] });
  if (!db.objectStoreNames.contains(THUMBNAIL_STORE)) db.createObjectStore(THUMBNAIL_STORE, { keyPath: ['modelId', 'classId'] });
  if (!db.objectStoreNames.contains(SOUND_STORE)) db.createObjectStore(SOUND_STORE, { keyPath: 'classId' });
  if (!db.objectStoreNames.contains(FIT_STORE)) db.createObjectStore(FIT_STORE, { keyPath: 'modelId' });
  if (!db.objectStoreNames.contains(FRAME_STORE)) db.createObjectStore(FRAME_STORE, { keyPath: ['modelId', 'classId', 'index'] });
}

/** Every frame of a model's class from `fromIndex` on. */
export function frameRange(modelId: ModelId, classId: string, fromIndex = 0): IDBKeyRange {
  return IDBKeyRange.bound([modelId, classId, fromIndex], [modelId, classId, Infinity]);
}

/** Every chunk of a model's class from `fromChunk` on. */
export function chunkRange(modelId: ModelId, classId: string, fromChunk = 0): IDBKeyRange {
  return IDBKeyRange.bound([modelId, classId, fromChunk], [modelId, classId, Infinity]);
}

/** The state record to store for `state`: each sound output without its file, which goes to SOUND_STORE. */
export function withSoundsAside(state: StateRecord): { readonly record: StateRecord; readonly sounds: ReadonlyMap<string, string> } {
  const sounds = new Map<string, string>();
  const classes = state.classes.map((c) => {
    if (c.output?.kind !== 'sound') return c;
    sounds.set(c.id, c.output.dataUrl);
    return { ...c, output: { ...c.output, dataUrl: SOUND_IN_STORE } };
  });
  return { record: { ...state, classes }, sounds };
}

/**
 * A stored state with its sounds' files put back from `sounds` (SOUND_STORE's records). A sound whose file is
 * missing becomes no output, rather than making the whole state unreadable. Inline files (version 1) stay.
 */
export function withSoundsBack(state: StateRecord, sounds: ReadonlyMap<string, string>): StateRecord {
  const classes = state.classes.map((c) => {
    if (c.output?.kind !== 'sound' || c.output.dataUrl !== SOUND_IN_STORE) return c;
    const dataUrl = sounds.get(c.id);
    return { ...c, output: dataUrl ? { ...c.output, dataUrl } : NO_OUTPUT };
  });
  return { ...state, classes };
}
