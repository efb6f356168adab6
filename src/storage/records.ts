/**
 * What is stored in IndexedDB. Vectors are kept in chunks of ROWS_PER_CHUNK rows per model and class, so a
 * new example rewrites at most the last chunk, never the whole class. Bump SCHEMA_VERSION (and migrate in
 * the upgrade) when these shapes change.
 */
import type { ModelId } from '../models/catalog';
import type { SavedState } from '../teachable-state';

export const SCHEMA_VERSION = 1;
export const ROWS_PER_CHUNK = 64;

export const STATE_STORE = 'state';
export const VECTOR_STORE = 'vectors';
export const THUMBNAIL_STORE = 'thumbnails';
export const STATE_KEY = 'state';

export interface StateRecord extends SavedState {
  readonly savedAt: string;
  /** Names the write that stored this state (absent in states stored before the close journal existed). */
  readonly writeId?: string;
}

export interface VectorChunkRecord {
  readonly modelId: ModelId;
  readonly classId: string;
  /** Rows chunk * ROWS_PER_CHUNK onwards. */
  readonly chunk: number;
  readonly dimension: number;
  /** Up to ROWS_PER_CHUNK rows of `dimension` unit-length numbers. */
  readonly data: Float32Array;
}

export interface ThumbnailRecord {
  readonly modelId: ModelId;
  readonly classId: string;
  /** Oldest first; at most THUMBNAILS_KEPT, each a few kB, so rewriting them whole is cheap. */
  readonly urls: readonly string[];
}

export function createStores(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(STATE_STORE)) db.createObjectStore(STATE_STORE);
  if (!db.objectStoreNames.contains(VECTOR_STORE)) db.createObjectStore(VECTOR_STORE, { keyPath: ['modelId', 'classId', 'chunk'] });
  if (!db.objectStoreNames.contains(THUMBNAIL_STORE)) db.createObjectStore(THUMBNAIL_STORE, { keyPath: ['modelId', 'classId'] });
}

/** Every chunk of a model's class from `fromChunk` on. */
export function chunkRange(modelId: ModelId, classId: string, fromChunk = 0): IDBKeyRange {
  return IDBKeyRange.bound([modelId, classId, fromChunk], [modelId, classId, Infinity]);
}
