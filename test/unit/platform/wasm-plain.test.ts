/**
 * tfjs's wasm backend without SIMD and without threads (a browser without them, or a page that is not cross-origin
 * isolated, which gets no threads), forced through tfjs's own flags, against SIMD with threads: the real default
 * MobileNet on real photos. The dense head's kernels without SIMD are compared in dense-head-steps.test.ts.
 * Skips with a message without the models or the photos.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/platform/backend';
import { loadAppConfig } from '../../../src/platform/config';
import { FrameGrabber } from '../../../src/camera/frame';
import { DEFAULT_MODEL_ID, findModel } from '../../../src/models/catalog';
import { loadEmbedder } from '../../../src/models/loader';
import { cosine } from '../../../src/platform/cosine.mjs';

const PHOTOS = ['rock/00nKV8oHuTGi20gq.jpg', 'rock/01dM3ewPIsnBICu1.jpg', 'paper/04l5I8TqdzF9WDMJ.jpg', 'paper/0Og76sl5CJhbxWWx.jpg'];

async function photos(): Promise<ImageData[] | null> {
  const grabber = new FrameGrabber();
  const images: ImageData[] = [];
  for (const path of PHOTOS) {
    const response = await fetch(`/datasets/rock-paper-scissors/${path}`);
    if (!response.ok) return null;
    const bitmap = await createImageBitmap(await response.blob());
    images.push(grabber.grab(bitmap, false)!);
    bitmap.close();
  }
  return images;
}

/** Restarts tfjs's wasm backend with these flags (a new WebAssembly module: tfjs picks its binary when it starts). */
async function restartWasm(simd: boolean, threads: boolean): Promise<string> {
  const factory = tf.findBackendFactory('wasm');
  if (!factory) throw new Error('no wasm backend registered');
  tf.removeBackend('wasm');
  tf.env().set('WASM_HAS_SIMD_SUPPORT', simd);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads);
  tf.registerBackend('wasm', factory);
  return (await useBackend('wasm')).detail;
}

/** The default model's embeddings of `images` on the wasm backend as it is now (the model loaded on it). */
async function embeddings(mirror: string, images: ImageData[]): Promise<Float32Array[]> {
  const embedder = await loadEmbedder(findModel(DEFAULT_MODEL_ID)!, { mirrorBase: mirror, useCache: false });
  try {
    const out: Float32Array[] = [];
    for (const image of images) {
      const tensor = embedder.embed(image);
      out.push((await tensor.data()) as Float32Array);
      tensor.dispose();
    }
    return out;
  } finally {
    embedder.dispose();
  }
}

describe('the wasm backend without SIMD or threads', function () {
  let mirror: string | null = null;
  let images: ImageData[] | null = null;

  before(async function () {
    mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    images = await photos();
    if (!mirror || !images) {
      console.log('Skipping: this needs the genuine MobileNets and the photos of ../shared (or MOBILENET_MODELS_DIR).');
      this.skip();
    }
  });

  after(async () => {
    await restartWasm(true, true);
  });

  it('embeds as SIMD with threads does: cosine 0.99999 or more, numbers within 1e-5 of the largest', async () => {
    const fast = await restartWasm(true, true);
    const reference = await embeddings(mirror!, images!);
    const plain = await restartWasm(false, false);
    expect(plain).to.equal('no SIMD, single thread');
    const tensors = tf.memory().numTensors;
    const ours = await embeddings(mirror!, images!);
    expect(tf.memory().numTensors).to.equal(tensors);
    const cosines = ours.map((e, i) => cosine(e, reference[i]));
    const largest = Math.max(...reference.map((e) => Math.max(...e.map(Math.abs))));
    const diff = Math.max(...ours.map((e, i) => Math.max(...e.map((v, j) => Math.abs(v - reference[i][j])))));
    console.log(`wasm ${plain} against ${fast}: cosine lowest ${Math.min(...cosines).toFixed(7)}, largest difference ${diff.toExponential(2)} of ${largest.toFixed(2)}`);
    expect(Math.min(...cosines)).to.be.at.least(0.99999);
    expect(diff).to.be.at.most(1e-5 * largest);
  });

  it('starts with SIMD but no threads, as a page that is not cross-origin isolated does, with the same embeddings', async () => {
    const reference = await (async () => {
      await restartWasm(true, true);
      return embeddings(mirror!, images!);
    })();
    expect(await restartWasm(true, false)).to.equal('SIMD, single thread');
    const ours = await embeddings(mirror!, images!);
    const cosines = ours.map((e, i) => cosine(e, reference[i]));
    expect(Math.min(...cosines)).to.be.at.least(0.99999);
  });
});
