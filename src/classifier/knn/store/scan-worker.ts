/**
 * The scan worker: takes tasks of a k-NN store's 8-bit scan as the page does, from the same list in the same shared
 * WebAssembly memory (parallel-scan.ts has the protocol). It says it is ready in that memory and sleeps in
 * Atomics.wait between scans.
 */
import { CONTROL } from './parallel-scan-protocol';

interface Start {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the control block in the memory. */
  readonly control: number;
}

// The DOM typings this project builds with do not include the worker's global scope.
const scope = self as unknown as { onmessage: ((event: MessageEvent<Start>) => void) | null };

scope.onmessage = (event) => {
  const { module, memory, control } = event.data;
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as {
    dots_u8(rows: number, count: number, stride: number, query: number, out: number): void;
  };
  scope.onmessage = null;
  const at = control / 4;
  let seen = Atomics.load(new Int32Array(memory.buffer), at + CONTROL.sequence);
  Atomics.store(new Int32Array(memory.buffer), at + CONTROL.ready, 1);
  for (;;) {
    Atomics.wait(new Int32Array(memory.buffer), at + CONTROL.sequence, seen);
    // A grown memory has a longer buffer: view it afresh on every turn.
    const i32 = new Int32Array(memory.buffer);
    seen = Atomics.load(i32, at + CONTROL.sequence);
    // A worker woken late finds no task left, or the next scan's list, published whole: both are safe.
    for (let t = Atomics.sub(i32, at + CONTROL.left, 1) - 1; t >= 0; t = Atomics.sub(i32, at + CONTROL.left, 1) - 1) {
      const task = at + CONTROL.first + 3 * t;
      kernels.dots_u8(i32[task], i32[task + 1], i32[at + CONTROL.stride], i32[at + CONTROL.query], i32[task + 2]);
      Atomics.add(i32, at + CONTROL.done, 1);
    }
  }
};
