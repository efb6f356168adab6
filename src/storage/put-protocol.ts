/** Messages between the page and the worker that puts autosave's large records (put-worker.ts). */

/** Page to worker: put `records` into `storeName` of the database `name`, which the page has open at `version`. */
export interface PutRequest {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly storeName: string;
  readonly records: readonly unknown[];
}

/** Worker to page: the transaction committed, or why it did not. */
export type PutReply = { readonly id: number; readonly ok: true } | { readonly id: number; readonly ok: false; readonly error: string };
