import { useBackend, type BackendName } from '../../src/platform/backend';
import { findModel, MODEL_CATALOG } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder, ModelLoadError } from '../../src/models/loader';

declare global {
  interface Window {
    /** Exposed by the Node harness (harness.mjs): prints a line on its stderr. */
    reportProgress(message: string): Promise<void>;
  }
}

/** A failure the user can act on (unknown model, missing files); the harness prints it as one line. */
export interface PageFailure {
  readonly error: string;
}

export function progress(message: string): void {
  void window.reportProgress(message);
}

export interface Setup {
  readonly embedder: Embedder;
  /** e.g. "wasm (SIMD, threads)". */
  readonly backend: string;
}

/**
 * Switches to `backend` and loads `modelId` from the harness's mirror at /models/, the way the app does, with
 * no IndexedDB cache so every run reads the same files.
 */
export async function setUp(backend: BackendName, modelId: string): Promise<Setup | PageFailure> {
  const spec = findModel(modelId);
  if (!spec) return { error: `unknown model "${modelId}"; known: ${MODEL_CATALOG.map((m) => m.id).join(', ')}.` };
  let detail: string;
  try {
    detail = (await useBackend(backend)).detail;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (backend === 'wasm' && !crossOriginIsolated) {
    // Without isolation wasm runs single-threaded, and the numbers would not be the app's.
    return { error: 'the page is not cross-origin isolated, so wasm threads are off.' };
  }
  try {
    const embedder = await loadEmbedder(spec, { mirrorBase: '/models/', useCache: false });
    return { embedder, backend: detail ? `${backend} (${detail})` : backend };
  } catch (error) {
    if (error instanceof ModelLoadError) return { error: error.message };
    throw error;
  }
}
