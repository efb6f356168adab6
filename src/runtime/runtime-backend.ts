/**
 * The <tm-classifier> element's TensorFlow.js backend: the wasm one with SIMD, as the app picks
 * (src/platform/backend.ts), when its binaries (WASM_FILES) are served beside the page; else TensorFlow.js's default
 * (WebGL, else the CPU). Without a GPU, WebGL is Chromium's software renderer, whose shader compiling made an
 * exported page's first prediction seconds late.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let chosen: Promise<string> | null = null;

/**
 * Switches the page to the wasm backend whose binaries are in the folder `wasmBaseUrl`; when wasm cannot start
 * there, leaves TensorFlow.js's default. Resolves to the backend's name. Once per page (the backend is global to
 * it): the first call decides. Single-threaded: the threaded build starts workers from the source text of a
 * bundled function, which the minified runtime bundle breaks (see vite.runtime.config.ts). Only the element's
 * bundle holds this, so the library's bundle (teachable-knn.js) stays as small as before.
 */
export function useRuntimeBackend(wasmBaseUrl: string): Promise<string> {
  chosen ??= choose(wasmBaseUrl);
  return chosen;
}

async function choose(wasmBaseUrl: string): Promise<string> {
  const base = new URL(wasmBaseUrl, document.baseURI).href;
  setWasmPaths(base.endsWith('/') ? base : `${base}/`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return tf.getBackend();
    }
  } catch {
    // Not served, or not compiled here: the default below.
  }
  await tf.ready();
  return tf.getBackend();
}
