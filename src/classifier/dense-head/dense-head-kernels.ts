/**
 * The two loops that take nearly all of the dense head's training time, on one Float32Array heap: a matrix
 * product and an Adam update. They run as WebAssembly SIMD (four numbers per instruction, dense-head-kernels.wat,
 * built into dense-head-kernels-wasm.ts by `npm run build:kernels`) where the browser compiles it, and as plain
 * JavaScript otherwise.
 *
 * Why not tfjs: the same network trained with tf.layers + Adam in a worker took about 10 times as long here
 * (docs/kernels.md has the measurement and how to rerun it).
 */
import { DENSE_KERNELS_WASM_BASE64 } from './dense-head-kernels-wasm';

export interface Kernels {
  /** The heap every offset below indexes (in floats, not bytes); it never moves. */
  readonly heap: Float32Array;
  /** 'wasm-simd' or 'js': which implementation runs. */
  readonly kind: 'wasm-simd' | 'js';
  /**
   * C = A B for A of `rows` x `depth` read with strides (A[i][k] = heap[a + i * aRowStride + k * aColStride], so a
   * transposed operand needs no copy), B of `depth` x `width` and C of `rows` x `width`, both row after row.
   * `width` must be a multiple of 8.
   */
  matmul(a: number, aRowStride: number, aColStride: number, b: number, c: number, rows: number, depth: number, width: number): void;
  /**
   * One Adam step on `count` parameters (a multiple of 4) at `p`, moments at `m` and `v`, gradient at `g`:
   * m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; p -= stepSize m / (sqrt(v) + epsilon).
   * (The caller folds both bias corrections into stepSize and epsilon.) With `flush`, gradients and moments too
   * small to move any weight are set to 0 (see FLUSH).
   */
  adam(p: number, m: number, v: number, g: number, count: number, beta1: number, beta2: number, stepSize: number, epsilon: number, flush: boolean): void;
}

/** Output columns each pass of the matrix product computes (two SIMD vectors); widths are padded to it. */
export const COLUMN_BLOCK = 8;

/**
 * Below these magnitudes a gradient and the two moments are set to 0. Without it, once the head fits its examples,
 * the moments of weights whose gradient has stopped decay geometrically into subnormal floats, on which the CPU
 * computes tens of times slower (WebAssembly cannot flush them to zero itself): training then took 3 s instead of 1.
 * Adam flushes every few steps (FLUSH_EVERY in dense-head-steps.ts); the gradients are flushed where they are made.
 * The smallest gradient kept squares to at least 1e-34, and (1 - beta2) times that is still a normal float. What is
 * dropped moves no weight: the update m / (sqrt(v) + epsilon) of a gradient of 1e-17 is below 1e-8 of the step size
 * even where v is 0 (epsilon is at least 3e-9 after the bias correction). dense-head-kernels.wat's adamFlush
 * has the same three limits written in.
 */
export const FLUSH = { gradient: 1e-17, first: 1e-30, second: 1e-35 } as const;

/** `value`, or 0 when its magnitude is below `limit`. */
export function flush(value: number, limit: number): number {
  return Math.abs(value) < limit ? 0 : value;
}

/** Rows of A each pass of the WebAssembly product keeps in registers. */
const ROW_BLOCK = 4;

/** Kernels on a heap of at least `floats` numbers: WebAssembly SIMD when `preferWasm` and the browser allows it. */
export function createKernels(floats: number, preferWasm = true): Kernels {
  if (preferWasm) {
    const wasm = wasmKernels(floats);
    if (wasm) return wasm;
  }
  return jsKernels(new Float32Array(floats));
}

export function jsKernels(heap: Float32Array): Kernels {
  return {
    heap,
    kind: 'js',
    matmul(a, aRowStride, aColStride, b, c, rows, depth, width) {
      for (let i = 0; i < rows; i++) {
        const out = c + i * width;
        heap.fill(0, out, out + width);
        for (let k = 0; k < depth; k++) {
          const x = heap[a + i * aRowStride + k * aColStride];
          if (x === 0) continue;
          const row = b + k * width;
          for (let j = 0; j < width; j++) heap[out + j] += x * heap[row + j];
        }
      }
    },
    adam(p, m, v, g, count, beta1, beta2, stepSize, epsilon, flushing) {
      const b1 = Math.fround(beta1);
      const b2 = Math.fround(beta2);
      const c1 = Math.fround(1 - beta1);
      const c2 = Math.fround(1 - beta2);
      const limits = flushing ? FLUSH : { gradient: 0, first: 0, second: 0 };
      for (let i = 0; i < count; i++) {
        const gradient = flush(heap[g + i], limits.gradient);
        const first = (heap[m + i] = flush(Math.fround(b1 * heap[m + i] + c1 * gradient), limits.first));
        const second = (heap[v + i] = flush(Math.fround(b2 * heap[v + i] + c2 * gradient * gradient), limits.second));
        heap[p + i] -= stepSize * (first / (Math.sqrt(second) + epsilon));
      }
    },
  };
}

/** The module, compiled once and instantiated for each head (each on a memory of its own). */
let compiled: WebAssembly.Module | null = null;

function wasmKernels(floats: number): Kernels | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    if (!compiled) {
      const bytes = Uint8Array.from(atob(DENSE_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
      if (!WebAssembly.validate(bytes)) return null; // no SIMD in this browser
      // Synchronous: the module is far below the size browsers allow to compile synchronously on the main thread.
      compiled = new WebAssembly.Module(bytes);
    }
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / 65536)) });
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    const exports = instance.exports as {
      matmul4: (...args: number[]) => void;
      matmul1: (...args: number[]) => void;
      adam: (...args: number[]) => void;
      adamFlush: (...args: number[]) => void;
    };
    const heap = new Float32Array(memory.buffer, 0, floats);
    return {
      heap,
      kind: 'wasm-simd',
      matmul(a, aRowStride, aColStride, b, c, rows, depth, width) {
        if (width % COLUMN_BLOCK !== 0) throw new RangeError(`The product's width ${width} is not a multiple of ${COLUMN_BLOCK}.`);
        const blocked = rows - (rows % ROW_BLOCK);
        if (blocked > 0) exports.matmul4(a * 4, aRowStride * 4, aColStride * 4, b * 4, c * 4, blocked, depth, width);
        if (blocked < rows) {
          exports.matmul1((a + blocked * aRowStride) * 4, aRowStride * 4, aColStride * 4, b * 4, (c + blocked * width) * 4, rows - blocked, depth, width);
        }
      },
      adam(p, m, v, g, count, beta1, beta2, stepSize, epsilon, flushing) {
        if (count % 4 !== 0) throw new RangeError(`Adam updates parameters 4 at a time; ${count} is not a multiple of 4.`);
        (flushing ? exports.adamFlush : exports.adam)(p * 4, m * 4, v * 4, g * 4, count, beta1, beta2, 1 - beta1, 1 - beta2, stepSize, epsilon);
      },
    };
  } catch {
    // Compiling WebAssembly refused (a policy without 'wasm-unsafe-eval') or out of memory: the JavaScript loops do.
    return null;
  }
}
