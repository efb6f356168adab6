/**
 * The browser features the app has a fallback for, detected once when the page loads. The code that would use one
 * asks here instead of probing the global itself, so that the path a browser without it takes can be run in a
 * browser that has it: tests switch a feature off with `withoutFeatures` and compare the answers with the fast path.
 *
 * tfjs's WebAssembly SIMD and threads are not here: tfjs reads its own flags (WASM_HAS_SIMD_SUPPORT,
 * WASM_HAS_MULTITHREAD_SUPPORT), and the dense head's kernels fall back to JavaScript where SIMD does not compile.
 * `wasmSimd` is the k-NN store's.
 */
export interface Capabilities {
  /** WebCodecs' VideoFrame: a camera frame's centre square is copied (FrameGrabber.grabVideo), not drawn. */
  readonly videoFrame: boolean;
  /** HTMLVideoElement.requestVideoFrameCallback: the prediction loop runs once per camera frame, not per display frame. */
  readonly videoFrameCallback: boolean;
  /** SharedArrayBuffer in a cross-origin isolated page: the k-NN store's memory is shared with its scan worker. */
  readonly sharedMemory: boolean;
  /** WebAssembly SIMD: the k-NN store runs kernels.wat; without it, the same kernels in plain WebAssembly (kernels-scalar.wat). */
  readonly wasmSimd: boolean;
  /** Dedicated workers: the live frame is embedded in one (src/pipeline/frame-embedding.ts); without them, on the page. */
  readonly embedWorker: boolean;
  /** Dedicated workers: autosave puts a k-NN store's fitted space into IndexedDB in one (src/storage/put-worker.ts), not on the page. */
  readonly storageWorker: boolean;
  /** Web Locks: tabs take turns to save. */
  readonly webLocks: boolean;
  /** BroadcastChannel: a class's output can be sent to other pages. */
  readonly broadcastChannel: boolean;
}

/** `(module (func (param i32) (result v128) (i32x4.splat (local.get 0))))`: valid only where SIMD is. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 32, 0, 253, 17, 11]);

/**
 * Firefox was seen, now and then, never to start a threaded tfjs worker in a page after another page had ended one
 * (docs/frame-path.md); it embeds the camera's frames on the page, as it did before the worker.
 */
const WORKER_EMBEDDING_UNRELIABLE = /\bFirefox\//.test(globalThis.navigator?.userAgent ?? '');

function detect(): Capabilities {
  const scope = globalThis as { crossOriginIsolated?: boolean; HTMLVideoElement?: typeof HTMLVideoElement };
  return {
    videoFrame: typeof VideoFrame !== 'undefined',
    videoFrameCallback: scope.HTMLVideoElement !== undefined && 'requestVideoFrameCallback' in scope.HTMLVideoElement.prototype,
    sharedMemory: typeof SharedArrayBuffer !== 'undefined' && scope.crossOriginIsolated === true,
    wasmSimd: typeof WebAssembly !== 'undefined' && WebAssembly.validate(SIMD_PROBE),
    embedWorker: typeof Worker !== 'undefined' && !WORKER_EMBEDDING_UNRELIABLE,
    storageWorker: typeof Worker !== 'undefined',
    webLocks: globalThis.navigator?.locks !== undefined,
    broadcastChannel: typeof BroadcastChannel !== 'undefined',
  };
}

const detected = detect();
let current: Capabilities = detected;

/** What this page may use: what the browser has, less what `withoutFeatures` switched off. */
export function capabilities(): Capabilities {
  return current;
}

/**
 * Acts as a browser without `features` until the returned function is called (which restores what the browser has).
 * Objects read what they use when they are made (or, for the frame grabber and the loop, on each frame).
 */
export function withoutFeatures(...features: (keyof Capabilities)[]): () => void {
  const previous = current;
  current = { ...current, ...Object.fromEntries(features.map((feature) => [feature, false])) };
  return () => {
    current = previous;
  };
}

