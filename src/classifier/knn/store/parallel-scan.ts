/**
 * The 8-bit scan on two threads: the page scans the first half of the rows while the scan worker (scan-worker.ts)
 * scans the second, both in the same shared WebAssembly memory. The scan stays synchronous for its caller: the
 * page posts the worker's share in a control block, does its own, then either finds the worker has not started it
 * (and does it too) or waits the few milliseconds until the worker is done. The scan waits on memory, so a second
 * core's bandwidth is what it gains. Without a shared memory (a page that is not cross-origin isolated) or before
 * the worker is ready, the page scans alone.
 */
import type { WasmArena } from './arena';
import type { ScanTask } from './fitted-space';
import { CONTROL, CONTROL_BYTES, MAX_WORKER_TASKS, STATE } from './parallel-scan-protocol';

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

  /** Whether a worker is taking half of each scan. */
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
    // The worker takes tasks from the end until it has about half the rows.
    let split = tasks.length;
    let workerRows = 0;
    while (split > 1 && tasks.length - split < MAX_WORKER_TASKS && workerRows + tasks[split - 1].count <= total / 2 + tasks[split - 1].count / 2) {
      split--;
      workerRows += tasks[split].count;
    }
    const at = this.control / 4;
    const i32 = arena.i32;
    i32[at + CONTROL.tasks] = tasks.length - split;
    i32[at + CONTROL.stride] = stride;
    i32[at + CONTROL.query] = query;
    for (let t = split; t < tasks.length; t++) {
      const slot = at + CONTROL.first + 3 * (t - split);
      i32[slot] = tasks[t].index;
      i32[slot + 1] = tasks[t].count;
      i32[slot + 2] = tasks[t].out;
    }
    Atomics.store(i32, at + CONTROL.state, STATE.posted);
    Atomics.add(i32, at + CONTROL.sequence, 1);
    Atomics.notify(i32, at + CONTROL.sequence);
    for (let t = 0; t < split; t++) arena.dotsU8(tasks[t].index, tasks[t].count, stride, query, tasks[t].out);
    if (Atomics.compareExchange(i32, at + CONTROL.state, STATE.posted, STATE.taken) === STATE.posted) {
      // The worker had not started: the page does its share too.
      for (let t = split; t < tasks.length; t++) arena.dotsU8(tasks[t].index, tasks[t].count, stride, query, tasks[t].out);
    } else {
      // The worker is on it: a few milliseconds at most (the page cannot sleep, so it spins).
      while (Atomics.load(i32, at + CONTROL.state) !== STATE.done);
    }
    Atomics.store(i32, at + CONTROL.state, STATE.idle);
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

/** Below this many rows a scan is too short for the hand-over to pay. */
const MIN_PARALLEL_ROWS = 2048;
