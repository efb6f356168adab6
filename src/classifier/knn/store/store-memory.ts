/**
 * A k-NN store's memory and the workers over it: the arena, its scratch space and room for a scan's dots (for the
 * row layout in use), the scan worker and the vote worker. It scores queries in the fitted space: in the vote worker
 * (started by the first query large enough for the round trip to pay) once it is up, else on the page.
 */
import { WasmArena } from './arena';
import type { ClassRows, RowLayout } from './class-rows';
import { Scratch, type FittedSpace } from './fitted-space';
import { ParallelScan, scanAlone } from './parallel-scan';
import { RemoteScoring } from './remote-scoring';
import { fittedSimilarities, type FittedSimilarities, type Scan, type ScoringRoom } from '../similarities';

/** Rows of blocks the store allocates at most at once (class-rows.ts), which bounds the scratch space. */
const SCRATCH_ROWS = 1024;

/**
 * Below this many rows the page scores a query itself. The round trip to the vote worker costs about 0.4 ms on a
 * quiet machine, and more when other threads hold the cores: timed between knn-classifier's runs in the bench, the
 * worker woke 0.5 to 0.8 ms late and scanned slower, and predict at 10,000 rows took 3.7 to 4.7 ms in the worker
 * against 1.8 to 2.8 on the page. Up to about 16,000 rows the page's own vote takes a few milliseconds and makes no
 * long task; at 50,000 it added about 9 ms to the page's time a frame in the app, with tasks of 50 to 120 ms,
 * which the worker takes off the page (docs/knn-store.md, "The vote in a worker").
 */
export const MIN_WORKER_ROWS = 16_384;

export class StoreMemory {
  readonly arena: WasmArena;
  private readonly scan: ParallelScan;
  /** Started by the first query over workerRows rows; 'failed' once it failed (the page scores from then on). */
  private remote: RemoteScoring | 'failed' | null = null;
  /** Where a scan on the page writes its i32 dots: room for `rows` rows. */
  private dots: { offset: number; rows: number } | null = null;
  private current: { readonly layout: RowLayout; readonly scratch: Scratch } | null = null;

  /**
   * `share`: a memory the workers share where the page allows it (else the page does everything). `workerRows`: the
   * fewest rows a query is scored over in the vote worker.
   */
  constructor(
    share: boolean,
    private readonly workerRows = MIN_WORKER_ROWS,
  ) {
    this.arena = share ? new WasmArena() : new WasmArena(false);
    this.scan = new ParallelScan(this.arena);
  }

  /** The row layout in use, once rows were written. */
  get layout(): RowLayout | null {
    return this.current?.layout ?? null;
  }

  get scratch(): Scratch | null {
    return this.current?.scratch ?? null;
  }

  /** Takes `layout` for the rows from now on, with scratch space for it. */
  useLayout(layout: RowLayout): void {
    this.current?.scratch.release();
    this.current = { layout, scratch: new Scratch(this.arena, layout, SCRATCH_ROWS) };
  }

  /** Whether a worker takes part in each scan. */
  get parallelScan(): boolean {
    return this.scan.parallel;
  }

  /** Whether queries over workerRows rows are scored in the vote worker (started by the first of them). */
  get votesInWorker(): boolean {
    return this.remote instanceof RemoteScoring && this.remote.usable;
  }

  /**
   * What a query on the page borrows; only once a layout is in use. While the vote worker has a query out it uses the
   * scan's control block, and one thread at a time may: the page then scans alone.
   */
  room(): ScoringRoom {
    const arena = this.arena;
    const remoteBusy = this.remote instanceof RemoteScoring && this.remote.busy;
    const scan: Scan = remoteBusy ? { run: (tasks, stride, query) => scanAlone(arena, tasks, stride, query) } : this.scan;
    return { arena, scratch: this.current!.scratch, scan, dotsFor: (rows) => this.dotsFor(rows) };
  }

  /**
   * The query's similarities in `space` (fittedSimilarities): from the vote worker once it is up (the rows and space
   * as they are at the call, whatever changes while it works), else on the page. 'failed': the worker failed and was
   * let go (the page scores from now on). Null: the memory was let go meanwhile.
   */
  async score(query: Float32Array, space: FittedSpace, rows: readonly ClassRows[], counts: ReadonlyMap<ClassRows, number>, exactClassRows: number): Promise<FittedSimilarities | 'failed' | null> {
    const total = rows.reduce((n, r) => n + (counts.get(r) ?? 0), 0);
    if (total >= this.workerRows && this.remote === null && this.arena.sharedMemory) {
      // Started when first needed: most stores never are this large. Until it is up, the page scores.
      const scan = this.scan;
      this.remote = new RemoteScoring(this.arena, scan.control, SCRATCH_ROWS, () => scan.stop());
    }
    const remote = this.remote;
    if (!(remote instanceof RemoteScoring) || !remote.usable || total < this.workerRows) {
      return fittedSimilarities(this.room(), query, space, rows, counts, exactClassRows);
    }
    try {
      return await remote.score(query, space, rows, counts, exactClassRows);
    } catch {
      if (this.remote !== remote) return null;
      this.remote = 'failed';
      // The scan worker may still be on a task of the failed worker's scan: the page scans alone from now on.
      this.scan.stop();
      return 'failed';
    }
  }

  /** Lets the workers go and gives the scratch space back; the arena itself goes with this object. */
  release(): void {
    if (this.remote instanceof RemoteScoring) this.remote.release();
    this.remote = null;
    this.current?.scratch.release();
    this.scan.release();
  }

  /** The offset of room for `rows` i32 dots, grown (to a power of two) when too small. */
  private dotsFor(rows: number): number {
    if (!this.dots || this.dots.rows < rows) {
      if (this.dots) this.arena.release(this.dots.offset, 4 * this.dots.rows);
      const room = 2 ** Math.ceil(Math.log2(Math.max(rows, 1024)));
      this.dots = { offset: this.arena.allocate(4 * room), rows: room };
    }
    return this.dots.offset;
  }
}
