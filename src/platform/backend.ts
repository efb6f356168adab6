import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

export interface BackendChoice {
  readonly name: BackendName;
  /** Median ms of the probe workload on each backend that initialised. */
  readonly measuredMs: Readonly<Partial<Record<BackendName, number>>>;
  /** e.g. "SIMD, 2 threads" for wasm. */
  readonly detail: string;
}

export const CANDIDATE_BACKENDS: readonly BackendName[] = ['wasm', 'webgpu', 'webgl'];

/** The folder of tfjs's wasm binaries the page was pointed at, or null before useLocalWasmFiles. */
let wasmBase: string | null = null;
let pageBackend: Promise<BackendChoice> | null = null;
let backendChosen: () => void = () => undefined;
const firstBackendChosen = new Promise<void>((resolve) => (backendChosen = resolve));

/**
 * Resolves once sharedBackend has set the page's backend. Tensors made before then (e.g. restoring saved
 * examples) would make tfjs start a backend of its own choosing, which fails while it initialises.
 */
export function pageBackendReady(): Promise<void> {
  return firstBackendChosen;
}

/**
 * The backend is global to the page, and tfjs gives up on a backend whose initialisation is overtaken by
 * another setBackend call, so every caller shares one choice: the first caller's `pick` runs, the others
 * wait for it. A failed pick is forgotten, so the next caller tries again.
 */
export function sharedBackend(pick: () => Promise<BackendChoice>): Promise<BackendChoice> {
  pageBackend ??= pick().then(
    (choice) => {
      backendChosen();
      return choice;
    },
    (error: unknown) => {
      pageBackend = null;
      throw error;
    },
  );
  return pageBackend;
}

/** Makes the next sharedBackend call pick again (e.g. to measure anew). */
export function forgetSharedBackend(): void {
  pageBackend = null;
}

/** The wasm binaries are served by the app itself (see server/local-assets.mjs), so no CDN is involved. */
export function useLocalWasmFiles(base = new URL('tfjs-wasm/', document.baseURI).href): void {
  if (wasmBase !== null) return;
  setWasmPaths(base);
  wasmBase = base;
}

/** Where useLocalWasmFiles pointed tfjs for its wasm binaries (a worker running tfjs loads them there too), or null. */
export function localWasmBase(): string | null {
  return wasmBase;
}

/**
 * Times a MobileNet-like block (depthwise then pointwise convolution) on each candidate backend and switches
 * to the fastest. Backends that fail to initialise (no WebGPU adapter, no WebGL) are skipped.
 */
export async function chooseFastestBackend(candidates: readonly BackendName[] = CANDIDATE_BACKENDS): Promise<BackendChoice> {
  useLocalWasmFiles();
  const measuredMs: Partial<Record<BackendName, number>> = {};
  for (const name of candidates) {
    const ms = await measureBackend(name);
    if (ms !== null) measuredMs[name] = ms;
  }
  const ranked = (Object.entries(measuredMs) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
  const best = ranked[0]?.[0] ?? 'cpu';
  await tf.setBackend(best);
  await tf.ready();
  return { name: best, measuredMs, detail: await backendDetail(best) };
}

/** Switches to a named backend without measuring (a remembered choice, or tests). */
export async function useBackend(name: BackendName): Promise<BackendChoice> {
  useLocalWasmFiles();
  if (!(await tf.setBackend(name))) throw new Error(`The ${name} backend is not available here.`);
  await tf.ready();
  return { name, measuredMs: {}, detail: await backendDetail(name) };
}

/** WebGPU needs an adapter; asking first spares the console tfjs's error about a failed initialisation. */
async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  try {
    return Boolean(gpu && (await gpu.requestAdapter()));
  } catch {
    return false;
  }
}

async function measureBackend(name: BackendName): Promise<number | null> {
  if (name === 'webgpu' && !(await hasWebGpuAdapter())) return null;
  try {
    if (!(await tf.setBackend(name))) return null;
    await tf.ready();
  } catch {
    return null;
  }
  const input = tf.randomUniform([1, 56, 56, 32], 0, 1, 'float32', 7) as tf.Tensor4D;
  const depthwise = tf.randomUniform([3, 3, 32, 1], -1, 1, 'float32', 8) as tf.Tensor4D;
  const pointwise = tf.randomUniform([1, 1, 32, 64], -1, 1, 'float32', 9) as tf.Tensor4D;
  const block = () =>
    tf.tidy(() => tf.conv2d(tf.relu6(tf.depthwiseConv2d(input, depthwise, 1, 'same')), pointwise, 1, 'same').mean());
  try {
    // The first run compiles shaders or kernels; it is not timed.
    const warm = block();
    await warm.data();
    warm.dispose();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const out = block();
      await out.data();
      out.dispose();
      times.push(performance.now() - start);
    }
    return median(times);
  } catch {
    return null;
  } finally {
    tf.dispose([input, depthwise, pointwise]);
  }
}

async function backendDetail(name: BackendName): Promise<string> {
  if (name !== 'wasm') return '';
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return [simd ? 'SIMD' : 'no SIMD', threads ? 'threads' : 'single thread'].join(', ');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
