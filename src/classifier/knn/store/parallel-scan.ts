/**
 * The 8-bit scan on two threads: the thread that asks for it (the page, or for a large store the vote worker,
 * vote-worker.ts) and the scan worker (scan-worker.ts) take its tasks (blocks of rows) one at a time from a list
 * in the same shared WebAssembly memory, until none is left. The scan stays synchronous for its caller: it posts the
 * list, scans, then waits only for the task the scan worker is on, if any. Taking tasks one at a time, not half the
 * rows each, matters on a busy machine: a worker the system has not given a core to takes nothing, where a worker's
 * fixed half had the caller spin for it (tasks of 90 to 190 ms at 50,000 examples). The scan waits on memory, so a
 * second core's bandwidth is what it gains. Without a shared memory (a page that is not cross-origin isolated) or
 * before the scan worker is ready, the caller scans alone. One thread at a time uses the control block.
 */
import type { WasmArena } from './arena';
import type { ScanTask } from './query-scoring';
import { CONTROL, CONTROL_BYTES, MAX_TASKS } from './parallel-scan-protocol';
import type { Scan } from '../similarities';

/** How long the caller waits for the scan worker's last task before it takes the worker for dead. */
const STALLED_MS = 1000;

/** Below this many rows a scan is too short for the hand-over to pay. */
const MIN_PARALLEL_ROWS = 2048;

export function scanAlone(arena: WasmArena, tasks: readonly ScanTask[], stride: number, query: number): void {
  for (const t of tasks) arena.dotsU8(t.index, t.count, stride, query, t.out);
}

/** Whether the scan worker of the control block at `control` takes tasks. */
function helperReady(arena: WasmArena, control: number): boolean {
  return Atomics.load(arena.i32, control / 4 + CONTROL.ready) === 1;
}

/**
 * Scans `tasks` with the scan worker of the control block at `control` when it is ready and the scan is long enough,
 * else alone. Returns false if the worker held a task for STALLED_MS: it is taken for dead (its `ready` is cleared),
 * and the caller has scanned every task itself (the same dots).
 */
function scanShared(arena: WasmArena, control: number, tasks: readonly ScanTask[], stride: number, query: number): boolean {
  const total = tasks.reduce((n, t) => n + t.count, 0);
  if (!helperReady(arena, control) || tasks.length < 2 || total < MIN_PARALLEL_ROWS) {
    scanAlone(arena, tasks, stride, query);
    return true;
  }
  const listed = Math.min(tasks.length, MAX_TASKS);
  const at = control / 4;
  const i32 = arena.i32;
  i32[at + CONTROL.stride] = stride;
  i32[at + CONTROL.query] = query;
  for (let t = 0; t < listed; t++) {
    const slot = at + CONTROL.first + 3 * t;
    i32[slot] = tasks[t].index;
    i32[slot + 1] = tasks[t].count;
    i32[slot + 2] = tasks[t].out;
  }
  // Published: from here either thread may take a task.
  Atomics.store(i32, at + CONTROL.done, 0);
  Atomics.store(i32, at + CONTROL.left, listed);
  Atomics.add(i32, at + CONTROL.sequence, 1);
  Atomics.notify(i32, at + CONTROL.sequence);
  scanAlone(arena, tasks.slice(listed), stride, query);
  for (let t = Atomics.sub(i32, at + CONTROL.left, 1) - 1; t >= 0; t = Atomics.sub(i32, at + CONTROL.left, 1) - 1) {
    arena.dotsU8(tasks[t].index, tasks[t].count, stride, query, tasks[t].out);
    Atomics.add(i32, at + CONTROL.done, 1);
  }
  // The worker's last task: a block of rows, well under a millisecond (the page cannot sleep, so it spins).
  const started = performance.now();
  for (let spins = 1; Atomics.load(i32, at + CONTROL.done) !== listed; spins++) {
    if (spins % 65536 === 0 && performance.now() - started > STALLED_MS) {
      Atomics.store(i32, at + CONTROL.ready, 0);
      scanAlone(arena, tasks, stride, query);
      return false;
    }
  }
  return true;
}

/** The page's side: starts the scan worker, and scans with it (the vote worker scans with it through SharedScan). */
export class ParallelScan implements Scan {
  private worker: Worker | null = null;
  /** Byte offset of the control block in the arena. */
  readonly control: number;

  constructor(private readonly arena: WasmArena) {
    this.control = arena.allocate(CONTROL_BYTES);
    arena.u8.fill(0, this.control, this.control + CONTROL_BYTES);
    const shared = arena.sharedMemory;
    if (!shared || typeof Worker === 'undefined') return;
    try {
      this.worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { type: 'module', name: 'k-NN scan' });
    } catch {
      // A policy that refuses workers (worker-src) throws here: the page scans alone.
      return;
    }
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.stop();
    };
    this.worker.postMessage({ module: shared.module, memory: shared.memory, control: this.control });
  }

  /** Whether a worker is taking tasks of each scan. */
  get parallel(): boolean {
    return this.worker !== null && helperReady(this.arena, this.control);
  }

  run(tasks: readonly ScanTask[], stride: number, query: number): void {
    if (!this.worker) scanAlone(this.arena, tasks, stride, query);
    else if (!scanShared(this.arena, this.control, tasks, stride, query)) this.stop();
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    Atomics.store(this.arena.i32, this.control / 4 + CONTROL.ready, 0);
  }

  release(): void {
    this.stop();
    this.arena.release(this.control, CONTROL_BYTES);
  }
}

/** The vote worker's side of the same scan: the scan worker the page started, through its control block. */
export class SharedScan implements Scan {
  constructor(
    private readonly arena: WasmArena,
    private readonly control: number,
  ) {}

  /** Whether the scan worker was given up during the last run (the page then lets it go). */
  stalled = false;

  run(tasks: readonly ScanTask[], stride: number, query: number): void {
    this.stalled = !scanShared(this.arena, this.control, tasks, stride, query);
  }
}
