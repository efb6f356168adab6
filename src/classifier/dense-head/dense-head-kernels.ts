/**
 * The two loops that take nearly all of the dense head's training time, on one Float32Array heap: a matrix
 * product and an Adam update. They run as WebAssembly SIMD (four numbers per instruction) where the browser
 * compiles it, and as plain JavaScript otherwise. The WebAssembly module is about a kilobyte, written out below
 * instruction by instruction, so there is no binary file to ship or build and nothing to fetch.
 *
 * Why not tfjs: on this head (inputs of ~1,280 numbers, 100 hidden units, batches of 16) tfjs's wasm backend
 * multiplied at about 1 GMAC/s here, no faster than a JavaScript loop, and each of its kernels costs tens of
 * microseconds to launch; the product below keeps four rows by eight columns in SIMD registers and ran at about
 * 13 GMAC/s on the same machine.
 */

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
 * even where v is 0 (epsilon is at least 3e-9 after the bias correction).
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

function wasmKernels(floats: number): Kernels | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = kernelModule();
  try {
    if (!WebAssembly.validate(bytes)) return null; // no SIMD in this browser
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / 65536)) });
    // Synchronous: the module is far below the size browsers allow to compile synchronously on the main thread.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
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

// ---- The WebAssembly module, encoded by hand. ----

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  f32Const: 0x43,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f32Sub: 0x93,
} as const;

/** SIMD instructions: the 0xfd prefix, then these numbers as LEB128. */
const simd = {
  load: 0,
  load32Splat: 9,
  store: 11,
  f32x4Splat: 19,
  f32x4Ge: 70,
  v128And: 78,
  f32x4Abs: 224,
  f32x4Sqrt: 227,
  f32x4Add: 228,
  f32x4Sub: 229,
  f32x4Mul: 230,
  f32x4Div: 231,
} as const;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Instructions of one function body, with the few helpers the kernels need. */
class Code {
  readonly bytes: number[] = [];
  get(local: number): this {
    return this.emit(op.localGet, ...unsignedLeb(local));
  }
  set(local: number): this {
    return this.emit(op.localSet, ...unsignedLeb(local));
  }
  tee(local: number): this {
    return this.emit(op.localTee, ...unsignedLeb(local));
  }
  i32(value: number): this {
    return this.emit(op.i32Const, ...signedLeb(value));
  }
  f32(value: number): this {
    return this.emit(op.f32Const, ...new Uint8Array(Float32Array.of(value).buffer));
  }
  simd(code: number, ...immediates: number[]): this {
    return this.emit(0xfd, ...unsignedLeb(code), ...immediates);
  }
  /** v128.load from the address on the stack plus `offset` bytes (alignment hint 4 bytes). */
  loadVector(offset = 0): this {
    return this.simd(simd.load, 2, ...unsignedLeb(offset));
  }
  storeVector(offset = 0): this {
    return this.simd(simd.store, 2, ...unsignedLeb(offset));
  }
  /** local += value on the stack is written as: get(local), <value>, add, set(local). Here: local += step. */
  addTo(local: number, step: number | { local: number }): this {
    this.get(local);
    if (typeof step === 'number') this.i32(step);
    else this.get(step.local);
    return this.emit(op.i32Add).set(local);
  }
  /** while (counter < limit) { body } */
  whileBelow(counter: number, limit: number, body: () => void): this {
    this.emit(op.block, 0x40, op.loop, 0x40);
    this.get(counter).get(limit).emit(op.i32LtU, op.i32Eqz, op.brIf, 1);
    body();
    return this.emit(op.br, 0, op.end, op.end);
  }
  emit(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
}

/**
 * matmul<R>(a, aRowStride, aColStride, b, c, rows, depth, width), every offset and stride in bytes: C = A B for
 * `rows` a multiple of R, computing R rows x 8 columns of C per pass over `depth`.
 */
function matmulBody(rowsPerPass: number): { locals: [number, number][]; code: number[] } {
  const [a, aRowStride, aColStride, b, c, rows, depth, width] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, j, k, pa, pb, bStride, out, rowOffset2, rowOffset3] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const b0 = 17;
  const b1 = 18;
  const acc = (r: number, half: number) => 19 + 2 * r + half;
  const splat = 19 + 2 * rowsPerPass;
  /** The byte offset of row r of A from row 0: aRowStride, then the two precomputed multiples. */
  const rowOffset = [0, aRowStride, rowOffset2, rowOffset3];
  const code = new Code();
  code.get(width).i32(2).emit(op.i32Shl).set(bStride);
  code.get(aRowStride).i32(1).emit(op.i32Shl).set(rowOffset2);
  code.get(aRowStride).i32(3).emit(op.i32Mul).set(rowOffset3);
  code.i32(0).set(i);
  code.whileBelow(i, rows, () => {
    code.i32(0).set(j);
    code.whileBelow(j, width, () => {
      for (let r = 0; r < rowsPerPass; r++) for (const half of [0, 1]) code.f32(0).simd(simd.f32x4Splat).set(acc(r, half));
      // pa = a + i * aRowStride; pb = b + j * 4
      code.get(a).get(i).get(aRowStride).emit(op.i32Mul, op.i32Add).set(pa);
      code.get(b).get(j).i32(2).emit(op.i32Shl, op.i32Add).set(pb);
      code.i32(0).set(k);
      code.whileBelow(k, depth, () => {
        code.get(pb).loadVector(0).set(b0);
        code.get(pb).loadVector(16).set(b1);
        for (let r = 0; r < rowsPerPass; r++) {
          // splat(A[i + r][k]) at pa + r * aRowStride
          code.get(pa);
          if (r > 0) code.get(rowOffset[r]).emit(op.i32Add);
          code.simd(simd.load32Splat, 2, 0).set(splat);
          for (const half of [0, 1]) {
            code.get(acc(r, half)).get(splat).get(half ? b1 : b0).simd(simd.f32x4Mul).simd(simd.f32x4Add).set(acc(r, half));
          }
        }
        code.addTo(pa, { local: aColStride });
        code.addTo(pb, { local: bStride });
        code.addTo(k, 1);
      });
      for (let r = 0; r < rowsPerPass; r++) {
        // out = c + ((i + r) * width + j) * 4
        code.get(c).get(i).i32(r).emit(op.i32Add).get(width).emit(op.i32Mul).get(j).emit(op.i32Add).i32(2).emit(op.i32Shl, op.i32Add).tee(out);
        code.get(acc(r, 0)).storeVector(0);
        code.get(out).get(acc(r, 1)).storeVector(16);
      }
      code.addTo(j, 8);
    });
    code.addTo(i, rowsPerPass);
  });
  return { locals: [[9, I32], [2 * rowsPerPass + 3, V128]], code: code.bytes };
}

/**
 * adam(p, m, v, g, count, beta1, beta2, 1 - beta1, 1 - beta2, stepSize, epsilon), offsets in bytes; with `flushing`,
 * the gradient and both moments below FLUSH's limits are set to 0.
 */
function adamBody(flushing: boolean): { locals: [number, number][]; code: number[] } {
  const [p, m, v, g, count, beta1, beta2, rest1, rest2, stepSize, epsilon] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [offset, end] = [11, 12];
  const [vBeta1, vBeta2, vRest1, vRest2, vStep, vEpsilon, grad, first, second] = [13, 14, 15, 16, 17, 18, 19, 20, 21];
  const [flushGradient, flushFirst, flushSecond] = [22, 23, 24];
  const code = new Code();
  const splat = (from: number, to: number) => code.get(from).simd(simd.f32x4Splat).set(to);
  /** The vector on the stack, with lanes below `limit` (a local) in magnitude set to 0; leaves it in `local`. */
  const flushInto = (local: number, limit: number) => {
    if (flushing) code.tee(local).get(local).simd(simd.f32x4Abs).get(limit).simd(simd.f32x4Ge).simd(simd.v128And);
  };
  code.f32(FLUSH.gradient).simd(simd.f32x4Splat).set(flushGradient);
  code.f32(FLUSH.first).simd(simd.f32x4Splat).set(flushFirst);
  code.f32(FLUSH.second).simd(simd.f32x4Splat).set(flushSecond);
  splat(beta1, vBeta1);
  splat(beta2, vBeta2);
  splat(rest1, vRest1);
  splat(rest2, vRest2);
  splat(stepSize, vStep);
  splat(epsilon, vEpsilon);
  code.get(count).i32(2).emit(op.i32Shl).set(end);
  code.i32(0).set(offset);
  const at = (base: number) => code.get(base).get(offset).emit(op.i32Add);
  code.whileBelow(offset, end, () => {
    at(g).loadVector();
    flushInto(grad, flushGradient);
    code.set(grad);
    // m = beta1 m + (1 - beta1) g
    at(m);
    at(m).loadVector().get(vBeta1).simd(simd.f32x4Mul).get(grad).get(vRest1).simd(simd.f32x4Mul).simd(simd.f32x4Add);
    flushInto(first, flushFirst);
    code.tee(first).storeVector();
    // v = beta2 v + (1 - beta2) g g
    at(v);
    at(v).loadVector().get(vBeta2).simd(simd.f32x4Mul).get(grad).get(grad).simd(simd.f32x4Mul).get(vRest2).simd(simd.f32x4Mul).simd(simd.f32x4Add);
    flushInto(second, flushSecond);
    code.tee(second).storeVector();
    // p -= stepSize (m / (sqrt(v) + epsilon))
    at(p);
    at(p).loadVector().get(vStep).get(first).get(second).simd(simd.f32x4Sqrt).get(vEpsilon).simd(simd.f32x4Add).simd(simd.f32x4Div).simd(simd.f32x4Mul).simd(simd.f32x4Sub);
    code.storeVector();
    code.addTo(offset, 16);
  });
  return { locals: [[2, I32], [12, V128]], code: code.bytes };
}

function section(id: number, payload: number[]): number[] {
  return [id, ...unsignedLeb(payload.length), ...payload];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

let moduleBytes: Uint8Array<ArrayBuffer> | null = null;

/** The kernels' WebAssembly module: imports env.memory, exports matmul4, matmul1, adam and adamFlush. */
export function kernelModule(): Uint8Array<ArrayBuffer> {
  if (moduleBytes) return moduleBytes;
  const matmulType = [0x60, ...vector(Array.from({ length: 8 }, () => [I32])), 0];
  const adamType = [0x60, ...vector([...Array.from({ length: 5 }, () => [I32]), ...Array.from({ length: 6 }, () => [F32])]), 0];
  const functions = [
    { name: 'matmul4', type: 0, body: matmulBody(ROW_BLOCK) },
    { name: 'matmul1', type: 0, body: matmulBody(1) },
    { name: 'adam', type: 1, body: adamBody(false) },
    { name: 'adamFlush', type: 1, body: adamBody(true) },
  ];
  const bodies = functions.map(({ body }) => {
    const content = [...vector(body.locals.map(([n, type]) => [...unsignedLeb(n), type])), ...body.code, op.end];
    return [...unsignedLeb(content.length), ...content];
  });
  moduleBytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([matmulType, adamType])),
    // env.memory: a memory of at least one page.
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector(functions.map((f) => [f.type]))),
    ...section(7, vector(functions.map((f, index) => [...name(f.name), 0x00, index]))),
    ...section(10, vector(bodies)),
  ]);
  return moduleBytes;
}
