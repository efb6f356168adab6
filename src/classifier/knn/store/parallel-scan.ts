/**
 * The 8-bit scan on two threads: the page and the scan worker (scan-worker.ts) take its tasks (blocks of rows) one
 * at a time from a list in the same shared WebAssembly memory, until none is left. The scan stays synchronous for its
 * caller: the page posts the list, scans, then waits only for the task the worker is on, if any. Taking tasks one at
 * a time, not half the rows each, matters on a busy machine: a worker the system has not given a core to takes
 * nothing, where a worker's fixed half had the page spin for it (tasks of 90 to 190 ms at 50,000 examples). The scan
 * waits on memory, so a second core's bandwidth is what it gains. Without a shared memory (a page that is not
 * cross-origin isolated) or before the worker is ready, the page scans alone.
 */
import type { WasmArena } from './arena';
import type { ScanTask } from './fitted-space';
import { CONTROL, CONTROL_BYTES, MAX_TASKS } from './parallel-scan-protocol';

export class ParallelScan {
  private worker: Worker | null = null;
  private ready = false;
  private readonly control: number;

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
    this.worker.onmessage = () => {
      this.ready = true;
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.stop();
    };
    this.worker.postMessage({ module: shared.module, memory: shared.memory, control: this.control });
  }

  /** Whether a worker is taking tasks of each scan. */
  get parallel(): boolean {
    return this.ready;
  }

  /** i32 dots of every task's rows with the i16 query at `query`, rows of `stride` bytes. */
  run(tasks: readonly ScanTask[], stride: number, query: number): void {
    const arena = this.arena;
    const total = tasks.reduce((n, t) => n + t.count, 0);
    if (!this.ready || tasks.length < 2 || total < MIN_PARALLEL_ROWS) {
      for (const t of tasks) arena.dotsU8(t.index, t.count, stride, query, t.out);
      return;
    }
    const listed = Math.min(tasks.length, MAX_TASKS);
    const at = this.control / 4;
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
    for (let t = listed; t < tasks.length; t++) arena.dotsU8(tasks[t].index, tasks[t].count, stride, query, tasks[t].out);
    for (let t = Atomics.sub(i32, at + CONTROL.left, 1) - 1; t >= 0; t = Atomics.sub(i32, at + CONTROL.left, 1) - 1) {
      arena.dotsU8(tasks[t].index, tasks[t].count, stride, query, tasks[t].out);
      Atomics.add(i32, at + CONTROL.done, 1);
    }
    // The worker's last task: a block of rows, well under a millisecond (the page cannot sleep, so it spins).
    const started = performance.now();
    for (let spins = 1; Atomics.load(i32, at + CONTROL.done) !== listed; spins++) {
      if (spins % 65536 === 0 && performance.now() - started > STALLED_MS) {
        // A worker that died holding a task: the page scans every task itself (the same dots) and goes on alone.
        this.stop();
        for (const t of tasks) arena.dotsU8(t.index, t.count, stride, query, t.out);
        return;
      }
    }
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = false;
  }

  release(): void {
    this.stop();
    this.arena.release(this.control, CONTROL_BYTES);
  }
}

/** How long the page waits for the worker's last task before it takes the worker for dead. */
const STALLED_MS = 1000;

/** Below this many rows a scan is too short for the hand-over to pay. */
const MIN_PARALLEL_ROWS = 2048;
