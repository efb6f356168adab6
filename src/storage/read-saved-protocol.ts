/** Messages between the page and the worker that reads what autosave stored (read-saved-worker.ts). */
import type { SavedExamples } from '../app/teachable-state';
import type { SavedRecords } from './read-saved';

/** Page to worker: read the database `name`, which the page has open at `version` (upgraded). */
export interface ReadRequest {
  readonly name: string;
  readonly version: number;
}

/** Kept frames sent in one message at most: about 5 MB, a few milliseconds to take in. */
export const FRAMES_PER_MESSAGE = 512;

/**
 * Worker to page, in this order: progress (`rows`) as chunks are read; each class's examples (`examples`, its vectors
 * moved, its frames left out) followed by its frames in pieces (`frames`); then the rest (`done`). Or `failed`.
 */
export type ReadReply =
  | { readonly type: 'rows'; readonly done: number; readonly total: number }
  | { readonly type: 'examples'; readonly examples: SavedExamples }
  | { readonly type: 'frames'; readonly urls: readonly string[] }
  | { readonly type: 'done'; readonly rest: Omit<SavedRecords, 'examples'> }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };
