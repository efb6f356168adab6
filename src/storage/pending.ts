/** What autosave knows is stored, and what changed since: the bookkeeping its writes and close journal share. */
import type { ModelId } from '../models/catalog';

export const classKey = (modelId: ModelId, classId: string) => `${modelId}\u0000${classId}`;
export const splitKey = (key: string) => key.split('\u0000') as [ModelId, string];
export const newWriteId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** What IndexedDB holds of a model's class, as far as the store knows. */
export interface Stored {
  readonly modelId: ModelId;
  readonly classId: string;
  readonly rows: number;
  /** The newest of the stored thumbnails, if any. */
  readonly lastThumbnail?: string;
  /** Frames in FRAME_STORE; absent when the class's frames are still in version 2's THUMBNAIL_STORE record. */
  readonly frames?: number;
}

/** What changed since the last write. */
export interface Pending {
  everything: boolean;
  /** Keys whose stored rows are stale: delete and write again. */
  rewrite: Set<string>;
  /** Keys with new rows after the stored ones. */
  append: Set<string>;
  deletedClasses: Set<string>;
}

export const nothingPending = (): Pending => ({ everything: false, rewrite: new Set(), append: new Set(), deletedClasses: new Set() });
