/**
 * Where the live frame is embedded: in a dedicated worker running the page's model (src/models/embed-worker.ts) when
 * one can, so that the network's run, most of a frame's work, leaves the page's thread; else on the page, as before.
 *
 * The worker is used only where its embeddings are the page's, bit for bit: the page runs tfjs's wasm backend with
 * its binaries served locally, and loadEmbedder loaded the model (the worker loads it the same way, from the
 * browser's cache or the same mirror, and starts wasm with the page's SIMD and threads flags). The page's embedder
 * stays loaded: "Try an image", re-embedding and every other use of the model run there. Until the worker has
 * loaded the model, and for good (for this model) if it cannot, frames are embedded on the page; a worker that
 * fails says so once through `onFallback`.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, type ModelId } from '../models/catalog';
import type { Embedder } from '../models/embedder';
import { loadSource } from '../models/loader';
import { WorkerEmbedder } from '../models/worker-embedder';
import { localWasmBase } from '../platform/backend';
import { capabilities } from '../platform/capabilities';

export interface FrameEmbeddingOptions {
  /** Told, once per model, when its frames cannot be embedded in a worker and the page embeds them instead. */
  readonly onFallback?: (message: string) => void;
  /** The folder of tfjs's wasm binaries the worker loads (the page's own, by default; null: no worker). */
  readonly wasmBase?: () => string | null;
}

/**
 * How long a worker may take to load a model before the page gives up on it for that model (frames are embedded on
 * the page meanwhile). A cached MobileNet V2 1.0 loads in a few seconds on a busy 2-core machine; Firefox was seen
 * never to start a new threaded worker in a page that had ended one, which this turns into a message.
 */
const START_TIMEOUT_MS = 60_000;

/** Where a model's frames are embedded now. */
export type FrameEmbeddingState = 'page' | 'starting' | 'worker' | 'failed';

interface Slot {
  readonly modelId: ModelId;
  worker: WorkerEmbedder | null;
  failed: boolean;
  /** Aborts the worker's start while it loads the model. */
  readonly loading: AbortController;
  /** Settles once the worker is ready (true) or has failed (false). */
  readonly started: Promise<boolean>;
}

export class FrameEmbedding {
  private slot: Slot | null = null;

  constructor(private readonly options: FrameEmbeddingOptions = {}) {}

  /** Where frames of `embedder` go now (without starting anything). */
  stateFor(embedder: Embedder): FrameEmbeddingState {
    const slot = this.slot;
    if (!this.usable(embedder) || slot?.modelId !== embedder.spec.id) return 'page';
    return slot.failed ? 'failed' : slot.worker ? 'worker' : 'starting';
  }

  /** Resolves once the worker for the current model is ready (true) or has failed (false); false with none. */
  async ready(): Promise<boolean> {
    return (await this.slot?.started) ?? false;
  }

  /**
   * Starts the worker for `embedder`'s model (where one can run it) before any frame asks: it loads while the page
   * does other work, a restore of saved examples say, and the first frames after it need not be embedded on the page
   * (the first run of the model there was a task of 80 to 110 ms).
   */
  prepare(embedder: Embedder): void {
    if (this.usable(embedder) && this.slot?.modelId !== embedder.spec.id) this.start(embedder);
  }

  /**
   * The numbers of `pixels` embedded by `embedder`'s model in the worker, or null when the page is to embed them: no
   * worker can run it here, the worker is still loading it (it is started here), or it failed (this frame too).
   */
  async embed(embedder: Embedder, pixels: ImageData): Promise<Float32Array | null> {
    if (!this.usable(embedder) || pixels.width !== INPUT_SIZE || pixels.height !== INPUT_SIZE || !(pixels.data instanceof Uint8ClampedArray)) return null;
    const slot = this.slot?.modelId === embedder.spec.id ? this.slot : this.start(embedder);
    if (!slot?.worker) return null;
    try {
      return await slot.worker.embed(pixels.data);
    } catch (error) {
      if (this.slot === slot) this.fail(slot, embedder, error);
      return null;
    }
  }

  /**
   * Lets the worker's model go (the worker is kept for the next model, src/models/worker-embedder.ts); the next frame
   * loads it again. Resolves to the tensors the worker still holds then (0 unless something leaked).
   */
  dispose(): Promise<number> {
    const slot = this.slot;
    this.slot = null;
    // A worker still loading is ended: its load would otherwise run on for a page that no longer wants it.
    slot?.loading.abort();
    return slot?.worker ? slot.worker.dispose() : Promise.resolve(0);
  }

  /** Whether a worker could embed `embedder`'s frames as the page does. */
  private usable(embedder: Embedder): boolean {
    return capabilities().embedWorker && loadSource(embedder) !== null && this.wasmBase() !== null && tf.getBackend() === 'wasm';
  }

  private wasmBase(): string | null {
    return (this.options.wasmBase ?? localWasmBase)();
  }

  private start(embedder: Embedder): Slot | null {
    void this.dispose();
    const source = loadSource(embedder);
    const wasmBase = this.wasmBase();
    if (!source || !wasmBase) return null;
    const { spec } = embedder;
    const controller = new AbortController();
    const loading = (async () => {
      const [simd, threads] = await Promise.all([tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
      const mirrorBase = source.mirrorBase === null ? null : new URL(source.mirrorBase, document.baseURI).href;
      const options = { wasmBase, simd: Boolean(simd), threads: Boolean(threads), mirrorBase, useCache: source.useCache };
      return WorkerEmbedder.start(spec, options, controller.signal);
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`it had not loaded the model after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    });
    const slot: Slot = {
      modelId: spec.id,
      worker: null,
      failed: false,
      loading: controller,
      started: Promise.race([loading, timeout]).then(
        (worker) => {
          clearTimeout(timer);
          if (this.slot !== slot) {
            void worker.dispose();
            return false;
          }
          slot.worker = worker;
          return true;
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (this.slot === slot) this.fail(slot, embedder, error);
          // A worker still loading (past the timeout) is ended; one that loaded meanwhile is let go.
          controller.abort();
          loading.then((worker) => void worker.dispose(), () => undefined);
          return false;
        },
      ),
    };
    this.slot = slot;
    return slot;
  }

  private fail(slot: Slot, embedder: Embedder, error: unknown): void {
    slot.failed = true;
    void slot.worker?.dispose();
    slot.worker = null;
    const reason = error instanceof Error ? error.message : String(error);
    this.options.onFallback?.(`${embedder.spec.name} embeds the camera's frames on the page, not in a worker (${reason}): predictions go on as before, with a busier page.`);
  }
}
