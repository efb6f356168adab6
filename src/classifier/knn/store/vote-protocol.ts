/** The messages between the page's RemoteScoring (remote-scoring.ts) and the vote worker (vote-worker.ts). */
import type { SpaceParameters } from '../../analysis/feature-space';
import type { SharedArena } from './arena';
import type { ScratchRoom } from './query-scoring';
import type { RowsUpdate } from './stored-rows';

export interface VoteStart {
  readonly type: 'start';
  readonly arena: SharedArena;
  /** Byte offset of the scan worker's control block (parallel-scan-protocol.ts). */
  readonly control: number;
}

/** A fitted space for a copy that holds, for the space `id`, each class's factors before its `from`. */
export interface SpaceUpdate {
  readonly id: number;
  /** Sent with a space's first query only. */
  readonly fit: { readonly parameters: SpaceParameters; readonly directions: number; readonly m: number } | null;
  /** Per class in the space's order: its rows' factors from `from` on. */
  readonly factors: readonly { readonly from: number; readonly values: Float32Array }[];
}

export interface ScoreRequest {
  readonly type: 'score';
  readonly id: number;
  readonly query: Float32Array;
  /** The worker's own room in the arena: scratch space, a slot to decode a row, and the scan's i32 dots. */
  readonly room: { readonly scratch: ScratchRoom; readonly decoded: number; readonly dots: number };
  readonly space: SpaceUpdate;
  /** In the space's order: each class's copy, what it lacks (null when nothing), and the rows this query sees. */
  readonly classes: readonly { readonly id: number; readonly update: RowsUpdate | null; readonly size: number }[];
  /** Copies of classes no longer asked about, which the worker lets go. */
  readonly forget: readonly number[];
  readonly exactClassRows: number;
}

export type VoteRequest = VoteStart | ScoreRequest;

export type ScoreReply =
  | {
      readonly id: number;
      readonly similarities: Float32Array[];
      readonly rescored: number;
      /** The scan worker held a task past its time and was given up: the page lets it go. */
      readonly scanStalled: boolean;
    }
  | { readonly id: number; readonly error: string };

export type VoteReply = 'ready' | ScoreReply;
