/**
 * One WebAssembly memory holding a k-NN store's rows, with the kernels that read them: kernels.wat (SIMD), or where
 * the engine has no WebAssembly SIMD (Safari before 16.4), kernels-scalar.wat, the same results bit for bit.
 * Allocations are 32-byte aligned; a freed block is reused by the next allocation of the same size (the store asks
 * for few sizes: blocks of a power-of-two number of rows). WebAssembly memory never shrinks: freed blocks are kept for reuse, and `bytes` reports it all.
 */
import { capabilities } from '../../../platform/capabilities';
import { KERNELS_SCALAR_SHARED_WASM_BASE64, KERNELS_SCALAR_WASM_BASE64, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels-wasm';

interface KernelExports {
  dots_u8(rows: number, count: number, stride: number, query: number, out: number): void;
  decode_row(index: number, lo: number, hi: number, t: number, offset: number, count: number, out: number): void;
  dots_sqrt_coded(index: number, lo: number, hi: number, t: number, offset: number, count: number, query: number, out: number): void;
  dots_coded(index: number, lo: number, hi: number, count: number, stride: number, steps: number, offset: number, numbers: number, query: number, out: number): void;
  dots_f32(rows: number, count: number, stride: number, query: number, out: number): void;
  dots_sqrt_f32(rows: number, count: number, stride: number, query: number, out: number): void;
  combine_f32(rows: number, count: number, stride: number, coefficients: number, out: number): void;
  project_f32(rows: number, count: number, stride: number, query: number, coefficients: number, out: number): void;
}

const PAGE_BYTES = 65536;
const ALIGN = 32;

/** 4 GB, WebAssembly's limit; a shared memory reserves it as address space, not as memory. */
const MAX_PAGES = 65536;

const compiled = new Map<string, WebAssembly.Module>();

/**
 * The kernels' module (importing its memory shared or not; SIMD or plain), compiled once per page. Synchronous: it
 * is a few kilobytes, well within what browsers allow.
 */
function kernelModule(shared: boolean, simd: boolean): WebAssembly.Module {
  const key = `${shared} ${simd}`;
  let module = compiled.get(key);
  if (!module) {
    const base64 = simd ? (shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64) : shared ? KERNELS_SCALAR_SHARED_WASM_BASE64 : KERNELS_SCALAR_WASM_BASE64;
    module = new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    compiled.set(key, module);
  }
  return module;
}


function blockSize(bytes: number): number {
  return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
}

/** A shared arena's memory and kernels' module, as a worker is given them, and which kernels they are. */
export interface SharedArena {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly simd: boolean;
}

export class WasmArena {
  private readonly kernels: KernelExports;
  private top = ALIGN; // offset 0 is never handed out, so 0 can mean "none"
  private readonly free = new Map<number, number[]>();
  /** Readers in another thread that may still read blocks given back (holdReleases): those wait until they are done. */
  private holds = 0;
  private readonly heldReleases: [number, number][] = [];
  /** False for a worker's view of another thread's arena (WasmArena.view): only its owner allocates. */
  private readonly owner: boolean;
  private buffer: ArrayBufferLike | null = null;
  private u8View = new Uint8Array(0);
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private i16View = new Int16Array(0);
  private u16View = new Uint16Array(0);

  private readonly memory: WebAssembly.Memory;
  /** The memory and module a worker needs to run the kernels on the same rows, when the memory is shared. */
  readonly sharedMemory: { readonly memory: WebAssembly.Memory; readonly module: WebAssembly.Module } | null;

  /** Whether the kernels are kernels.wat's SIMD ones (else kernels-scalar.wat's). */
  readonly simd: boolean;

  /**
   * `shared`: a shared memory, which needs a cross-origin isolated page (the app's servers send the headers).
   * `simd`: the SIMD kernels, which need an engine with WebAssembly SIMD.
   */
  constructor(shared = capabilities().sharedMemory, simd = capabilities().wasmSimd, existing?: SharedArena) {
    this.owner = !existing;
    this.memory = existing?.memory ?? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared });
    this.simd = existing?.simd ?? simd;
    const module = existing?.module ?? kernelModule(shared, simd);
    // The exports are exactly those of kernels.wat; WebAssembly's typings cannot say so.
    this.kernels = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    this.sharedMemory = shared || existing ? { memory: this.memory, module } : null;
  }

  /** A worker's view of an arena shared with it: it reads and runs the kernels; allocating stays with the owner. */
  static view(shared: SharedArena): WasmArena {
    return new WasmArena(true, shared.simd, shared);
  }

  /**
   * Holds back every block given back from now until the returned function is called (once): a reader in another
   * thread may be reading it, so it must not be handed out again meanwhile.
   */
  holdReleases(): () => void {
    this.holds++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.holds > 0) return;
      for (const [offset, bytes] of this.heldReleases.splice(0)) this.release(offset, bytes);
    };
  }

  /** Bytes of memory this arena has taken from the browser (in use or kept for reuse). */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A block of at least `bytes` bytes, 32-byte aligned, contents unspecified. Throws RangeError when memory is exhausted. */
  allocate(bytes: number): number {
    if (!this.owner) throw new Error("Only the arena's own thread allocates in it.");
    const size = blockSize(bytes);
    const reused = this.free.get(size)?.pop();
    if (reused !== undefined) return reused;
    const offset = this.top;
    const end = offset + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
    this.top = end;
    return offset;
  }

  /** Gives back a block from allocate(bytes), with the same `bytes`. */
  release(offset: number, bytes: number): void {
    if (this.holds > 0) {
      this.heldReleases.push([offset, bytes]);
      return;
    }
    const size = blockSize(bytes);
    const list = this.free.get(size);
    if (list) list.push(offset);
    else this.free.set(size, [offset]);
  }

  get u8(): Uint8Array {
    this.refreshViews();
    return this.u8View;
  }

  get f32(): Float32Array {
    this.refreshViews();
    return this.f32View;
  }

  get i32(): Int32Array {
    this.refreshViews();
    return this.i32View;
  }

  get i16(): Int16Array {
    this.refreshViews();
    return this.i16View;
  }

  get u16(): Uint16Array {
    this.refreshViews();
    return this.u16View;
  }

  /** i32 dots of `count` u8 rows of `stride` bytes at `rows` with the i16 query at `query`, into `out`. */
  dotsU8(rows: number, count: number, stride: number, query: number, out: number): void {
    if (count > 0) this.kernels.dots_u8(rows, count, stride, query, out);
  }

  /** f32 dots of `count` f32 rows of `stride` bytes at `rows` with the f32 query at `query`, into `out`. */
  dotsF32(rows: number, count: number, stride: number, query: number, out: number): void {
    if (count > 0) this.kernels.dots_f32(rows, count, stride, query, out);
  }

  /** f32 dots of the square roots of `count` f32 rows (negatives as 0) with the f32 query at `query`, into `out`. */
  dotsSqrtF32(rows: number, count: number, stride: number, query: number, out: number): void {
    if (count > 0) this.kernels.dots_sqrt_f32(rows, count, stride, query, out);
  }

  /** out (one f32 row of `stride` bytes) = sum of coefficients[r] x rows[r] over `count` rows. */
  combineF32(rows: number, count: number, stride: number, coefficients: number, out: number): void {
    this.kernels.combine_f32(rows, count, stride, coefficients, out);
  }

  /**
   * Rebuilds `count` (a multiple of 4) exact f32 numbers at `out` from their index bytes at `index` and residuals
   * at `lo` (u16) and `hi` (u8), for a row whose index step is `t` (see ClassRows).
   */
  decodeRow(index: number, lo: number, hi: number, t: number, offset: number, count: number, out: number): void {
    this.kernels.decode_row(index, lo, hi, t, offset, count, out);
  }

  /** dotsSqrtF32 of the one row decodeRow would rebuild (`count` numbers, a multiple of 8), without rebuilding it. */
  dotsSqrtCoded(index: number, lo: number, hi: number, t: number, offset: number, count: number, query: number, out: number): void {
    this.kernels.dots_sqrt_coded(index, lo, hi, t, offset, count, query, out);
  }

  /**
   * dotsF32 of `count` rows with the query into `coefficients`, then combineF32 of the rows with them into `out`,
   * in one pass over the rows (the same bits as the two).
   */
  projectF32(rows: number, count: number, stride: number, query: number, coefficients: number, out: number): void {
    this.kernels.project_f32(rows, count, stride, query, coefficients, out);
  }

  /**
   * dotsF32 of the `count` rows decodeRow would rebuild from one block (index rows `stride` bytes apart, the rows'
   * steps t at `steps`), `numbers` numbers each, without rebuilding them.
   */
  dotsCoded(index: number, lo: number, hi: number, count: number, stride: number, steps: number, offset: number, numbers: number, query: number, out: number): void {
    if (count > 0) this.kernels.dots_coded(index, lo, hi, count, stride, steps, offset, numbers, query, out);
  }

  /** Growing the memory replaces its buffer, and every view of the old one reads nothing. */
  private refreshViews(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.u8View = new Uint8Array(buffer);
    this.f32View = new Float32Array(buffer);
    this.i32View = new Int32Array(buffer);
    this.i16View = new Int16Array(buffer);
    this.u16View = new Uint16Array(buffer);
  }
}
