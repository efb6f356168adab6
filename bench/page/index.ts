/**
 * The bench page: every measurement the Node side (bench/bench.mjs) asks for, on the app's own code. Each
 * section runs in a fresh page, so no backend, model or memory state carries over from another.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendName } from '../../src/platform/backend';
import { setUpAppPath, runFrame, runLeak, tearDownAppPath, warmUpLeak } from './app-path';
import { runDataset } from './dataset';
import { runDense } from './dense';
import { runEmbed } from './embed';
import { embedCorpus } from './corpus';
import { compareKnn, fillKnn, loadKnnCorpus } from './knn';

/** Runs `measure` on `backend` (the app's choice here is wasm), or says why that backend is unavailable. */
function onBackend<J, R>(measure: (job: J) => Promise<R>) {
  return async (job: J & { backend: BackendName }): Promise<R | { error: string }> => {
    try {
      await useBackend(job.backend);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    return measure(job);
  };
}

async function environment() {
  await useBackend('wasm');
  return {
    user_agent: navigator.userAgent,
    hardware_concurrency: navigator.hardwareConcurrency,
    cross_origin_isolated: crossOriginIsolated,
    tfjs: tf.version.tfjs,
    wasm_simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    wasm_threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

const bench = {
  environment,
  embed: runEmbed,
  setUpAppPath,
  frame: runFrame,
  warmUpLeak,
  leak: runLeak,
  tearDownAppPath,
  embedCorpus,
  loadKnnCorpus,
  fillKnn: onBackend(fillKnn),
  compareKnn,
  dataset: onBackend(runDataset),
  dense: onBackend(runDense),
};

export type Bench = typeof bench;

declare global {
  interface Window {
    bench?: Bench;
  }
}
window.bench = bench;
