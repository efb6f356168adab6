/**
 * The page's side of the vote worker (vote-worker.ts): it sends each query, with what the worker's copies lack of
 * the rows and the fitted space, and resolves with the similarities the page would have computed, bit for bit (the
 * same code and kernels on the same memory). Until an answer comes back, blocks the page gives back to the arena are
 * held (WasmArena.holdReleases), so the worker never reads rows that were handed out again.
 */
import type { WasmArena } from './arena';
import type { ClassRows, RowLayout } from './class-rows';
import { Scratch, type FittedSpace } from './fitted-space';
import type { ScratchRoom } from './query-scoring';
import type { FittedSimilarities } from '../similarities';
import type { ScoreRequest, SpaceUpdate, VoteReply, VoteStart } from './vote-protocol';

interface Sent {
  readonly id: number;
  /** The class's `removals` when its copy was made: a change means the copy must start afresh. */
  readonly removals: number;
  rows: number;
}

interface Pending {
  readonly resolve: (scored: FittedSimilarities) => void;
  readonly reject: (error: Error) => void;
  readonly letGo: () => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * How long a query may wait for its answer (tens of milliseconds at 50,000 rows, even on a busy machine): a worker
 * the browser ended without an error event would otherwise hold the frames' loop for good.
 */
const ANSWER_MS = 5000;

/** The worker's room in the arena, for one row layout. */
interface Room {
  readonly scratch: Scratch;
  readonly plain: ScratchRoom;
  readonly decoded: number;
  dots: { offset: number; rows: number };
}

export class RemoteScoring {
  private worker: Worker | null = null;
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private nextQuery = 1;
  private nextCopy = 1;
  private readonly sent = new Map<ClassRows, Sent>();
  private sentSpace: { readonly space: FittedSpace; readonly id: number; readonly factors: number[] } | null = null;
  private nextSpace = 1;
  private room: Room | null = null;

  /** `onStalled` is told when the worker gave up the scan worker (the page then lets it go). */
  constructor(
    private readonly arena: WasmArena,
    control: number,
    private readonly scratchRows: number,
    private readonly onStalled: () => void,
  ) {
    const shared = arena.sharedMemory;
    if (!shared || typeof Worker === 'undefined') return;
    try {
      this.worker = new Worker(new URL('./vote-worker.ts', import.meta.url), { type: 'module', name: 'k-NN vote' });
    } catch {
      // A policy that refuses workers (worker-src) throws here: the page votes itself.
      return;
    }
    this.worker.onmessage = (event: MessageEvent<VoteReply>) => this.answer(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`The k-NN vote worker failed: ${event.message}`));
    };
    const start: VoteStart = { type: 'start', arena: { ...shared, simd: arena.simd }, control };
    this.worker.postMessage(start);
  }

  /** Whether queries go to the worker. */
  get usable(): boolean {
    return this.ready && this.worker !== null;
  }

  /** Whether a query is out in the worker (which is then using the scan's control block). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * fittedSimilarities of `query` in `space` to the rows of `rows` (its classes, in its order) present now, computed
   * by the worker. Rejects if the worker fails or does not answer within ANSWER_MS (it is then let go: `usable` is
   * false).
   */
  score(query: Float32Array, space: FittedSpace, rows: readonly ClassRows[], counts: ReadonlyMap<ClassRows, number>, exactClassRows: number): Promise<FittedSimilarities> {
    const worker = this.worker;
    if (!worker || !this.ready) return Promise.reject(new Error('The k-NN vote worker is not ready.'));
    const sizes = rows.map((classRows, c) => Math.min(counts.get(classRows) ?? 0, classRows.count, space.counts[c]));
    const room = this.roomFor(rows[0].layout, sizes.reduce((a, b) => a + b, 0));
    const forget: number[] = [];
    for (const [classRows, sent] of this.sent) {
      if (!rows.includes(classRows)) {
        this.sent.delete(classRows);
        forget.push(sent.id);
      }
    }
    const classes = rows.map((classRows, c) => {
      let sent = this.sent.get(classRows);
      if (sent && sent.removals !== classRows.removals) {
        forget.push(sent.id);
        sent = undefined;
      }
      if (!sent) this.sent.set(classRows, (sent = { id: this.nextCopy++, removals: classRows.removals, rows: 0 }));
      const update = sizes[c] > sent.rows ? classRows.updateFor(sent.rows, sizes[c]) : null;
      sent.rows = Math.max(sent.rows, sizes[c]);
      return { id: sent.id, update, size: sizes[c] };
    });
    const request: ScoreRequest = {
      type: 'score',
      id: this.nextQuery++,
      query,
      room: { scratch: room.plain, decoded: room.decoded, dots: room.dots.offset },
      space: this.spaceUpdate(space, sizes),
      classes,
      forget,
      exactClassRows,
    };
    return new Promise<FittedSimilarities>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`The k-NN vote worker did not answer within ${ANSWER_MS} ms.`)), ANSWER_MS);
      this.pending.set(request.id, { resolve, reject, letGo: this.arena.holdReleases(), timer });
      worker.postMessage(request);
    });
  }

  /** Lets the worker go; queries still pending reject. */
  release(): void {
    this.fail(new Error('The k-NN store was let go.'));
    if (this.room) this.releaseRoom(this.room);
    this.room = null;
  }

  private spaceUpdate(space: FittedSpace, sizes: readonly number[]): SpaceUpdate {
    const fresh = this.sentSpace?.space !== space;
    if (fresh) this.sentSpace = { space, id: this.nextSpace++, factors: sizes.map(() => 0) };
    const sent = this.sentSpace!;
    const factors = sizes.map((size, c) => {
      const from = sent.factors[c];
      sent.factors[c] = Math.max(from, size);
      return { from, values: space.rowFactors[c].slice(from, Math.max(from, size)) };
    });
    const fit = fresh ? { parameters: space.parameters, directions: space.directions, m: space.m } : null;
    return { id: sent.id, fit, factors };
  }

  /** The worker's room for `layout`, with room for `rows` dots (grown to a power of two when too small). */
  private roomFor(layout: RowLayout, rows: number): Room {
    if (this.room && this.room.scratch.layout !== layout) {
      this.releaseRoom(this.room);
      this.room = null;
    }
    if (!this.room) {
      const scratch = new Scratch(this.arena, layout, this.scratchRows);
      const { query, row, combined, out, coefficients, steps } = scratch;
      const plain = { layout, query, row, combined, out, coefficients, steps };
      this.room = { scratch, plain, decoded: this.arena.allocate(layout.exactStride), dots: { offset: 0, rows: 0 } };
    }
    const room = this.room;
    if (room.dots.rows < rows) {
      if (room.dots.rows > 0) this.arena.release(room.dots.offset, 4 * room.dots.rows);
      const size = 2 ** Math.ceil(Math.log2(Math.max(rows, 1024)));
      room.dots = { offset: this.arena.allocate(4 * size), rows: size };
    }
    return room;
  }

  private releaseRoom(room: Room): void {
    room.scratch.release();
    this.arena.release(room.decoded, room.scratch.layout.exactStride);
    if (room.dots.rows > 0) this.arena.release(room.dots.offset, 4 * room.dots.rows);
  }

  private answer(reply: VoteReply): void {
    if (reply === 'ready') {
      this.ready = true;
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    pending.letGo();
    if ('error' in reply) {
      // A query the worker could not answer says its copies are not what the page thinks: it is let go.
      this.fail(new Error(reply.error));
      pending.reject(new Error(reply.error));
      return;
    }
    if (reply.scanStalled) this.onStalled();
    pending.resolve({ similarities: reply.similarities, rescored: reply.rescored });
  }

  private fail(error: Error): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = false;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.letGo();
      pending.reject(error);
    }
    this.pending.clear();
    this.sent.clear();
    this.sentSpace = null;
  }
}
