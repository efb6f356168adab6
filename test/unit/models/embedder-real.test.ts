/**
 * The genuine MobileNets, served from ../shared/models by the test runner (see server/local-assets.mjs).
 * Without them these tests skip with a message: they are never replaced by stand-ins.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import { useBackend } from '../../../src/platform/backend';
import { loadAppConfig } from '../../../src/platform/config';
import { FrameGrabber } from '../../../src/camera/frame';
import { MODEL_CATALOG, type ModelSpec } from '../../../src/models/catalog';
import type { Embedder } from '../../../src/models/embedder';
import { isCached, loadEmbedder, removeFromCache } from '../../../src/models/loader';
import { cosine } from '../../../src/platform/cosine.mjs';

// A few photos of each class from the rock-paper-scissors dev set (../shared/datasets, served at /datasets/).
const PHOTOS = {
  rock: ['00nKV8oHuTGi20gq.jpg', '01dM3ewPIsnBICu1.jpg', '0NDYNEoDui7o64gU.jpg', '0OEXfEooCXlljaEl.jpg'],
  paper: ['04l5I8TqdzF9WDMJ.jpg', '0Og76sl5CJhbxWWx.jpg', '0Uomd0HvOB33m47I.jpg', '0a3UtNzl5Ll3sq8K.jpg'],
};
const photoUrl = (cls: string, file: string) => `/datasets/rock-paper-scissors/${cls}/${file}`;

/** How @tensorflow-models/mobilenet names each TF Hub graph model. */
const PACKAGE_VERSIONS: Partial<Record<ModelSpec['id'], { version: 1 | 2; alpha: 0.25 | 1.0 }>> = {
  'mobilenet-v1-0.25': { version: 1, alpha: 0.25 },
  'mobilenet-v2-1.0': { version: 2, alpha: 1.0 },
};

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

/** A deterministic 224 x 224 pattern, used only when the photo data set is absent. */
function pattern(): ImageData {
  const image = new ImageData(224, 224);
  for (let y = 0; y < 224; y++) {
    for (let x = 0; x < 224; x++) {
      const i = (y * 224 + x) * 4;
      image.data.set([(x * 3 + y) % 256, (Math.sin(x / 9) * 60 + 128) | 0, ((x ^ y) * 5) % 256, 255], i);
    }
  }
  return image;
}

const values = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};


/** max |a - b| relative to the largest |b|. */
const relativeError = (a: number[], b: number[]) => {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
};

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('embedders with the real MobileNets (wasm backend)', function () {
  let mirror: string | null = null;
  /** 224 x 224 centre crops of the photos, as the app's frame grabber makes them; null without the data set. */
  let photos: { rock: ImageData[]; paper: ImageData[] } | null = null;

  before(async function () {
    mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    if (!mirror) {
      console.log('Skipping the real-model tests: they need the genuine MobileNets in ../shared/models (or MOBILENET_MODELS_DIR).');
      this.skip();
    }
    await useBackend('wasm');
    const probe = await fetch(photoUrl('rock', PHOTOS.rock[0]));
    if (probe.ok) {
      const grabber = new FrameGrabber();
      const crops = async (cls: 'rock' | 'paper') => {
        const out: ImageData[] = [];
        for (const file of PHOTOS[cls]) out.push(grabber.grab(await loadImage(photoUrl(cls, file)), false)!);
        return out;
      };
      photos = { rock: await crops('rock'), paper: await crops('paper') };
    } else {
      console.log('The photo data set ../shared/datasets is absent: comparing on a synthetic pattern, no class check.');
    }
  });

  it('serves the photo data set read-only, and nothing outside it', async function () {
    if (!photos) this.skip();
    const photo = await fetch(photoUrl('paper', PHOTOS.paper[0]));
    expect(photo.status).to.equal(200);
    expect(photo.headers.get('Content-Type')).to.equal('image/jpeg');
    // (A plain or %2e-encoded ".." segment is resolved by the browser before it asks; an encoded slash reaches the server.)
    for (const escape of ['/datasets/..%2fmodels/README.md', '/datasets/%2e%2e%2fmodels/README.md', '/datasets/..%2f..%2fmain/package.json']) {
      expect((await fetch(escape)).status, escape).to.equal(404);
    }
    expect((await fetch('/datasets/rock-paper-scissors/rock/', { method: 'GET' })).status).to.equal(404);
  });

  for (const spec of MODEL_CATALOG) {
    describe(spec.name, () => {
      let embedder: Embedder;
      let image: ImageData;

      before(async function () {
        if (!mirror) this.skip();
        embedder = await loadEmbedder(spec, { mirrorBase: mirror, useCache: false });
        image = photos ? photos.rock[0] : pattern();
      });

      after(() => embedder?.dispose());

      it(`embeds a photo into ${spec.embeddingDim} finite numbers, leaving no tensor behind`, () => {
        const before = tf.memory().numTensors;
        const embedding = embedder.embed(image);
        expect(embedding.shape).to.deep.equal([spec.embeddingDim]);
        const v = values(embedding);
        expect(tf.memory().numTensors).to.equal(before);
        expect(v.every(Number.isFinite)).to.equal(true);
        // A real activation: not constant, and not the same for a different image.
        expect(Math.max(...v)).to.be.greaterThan(Math.min(...v));
        const other = values(embedder.embed(photos ? photos.paper[0] : new ImageData(224, 224)));
        expect(cosine(v, other)).to.be.lessThan(0.999);
      });

      if (spec.format === 'graph') {
        it("runs as fused ops (depthwise convolutions fused) and equals @tensorflow-models/mobilenet's infer(img, true)", async () => {
          expect(embedder.execution).to.equal('fused ops');
          const packaged = PACKAGE_VERSIONS[spec.id];
          expect(packaged, `${spec.id} is a model @tensorflow-models/mobilenet knows`).to.not.equal(undefined);
          const reference = await mobilenet.load({
            ...packaged!,
            modelUrl: `${mirror}${spec.mirrorFolder}/model.json`,
            inputRange: [0, 1],
          });
          try {
            for (const img of photos ? [...photos.rock, ...photos.paper] : [image]) {
              const ours = values(embedder.embed(img));
              const theirs = values(reference.infer(img, true));
              expect(theirs).to.have.length(spec.embeddingDim);
              expect(relativeError(ours, theirs)).to.be.lessThan(1e-4);
              expect(cosine(ours, theirs)).to.be.greaterThan(0.99999);
            }
          } finally {
            // The package's type hides the graph model it holds; release its weights all the same.
            (reference as unknown as { model: tf.GraphModel }).model.dispose();
          }
        });
      } else {
        it('runs as fused ops (batch norms folded) and equals the layers model’s own predict on x / 127.5 - 1', async () => {
          expect(embedder.execution).to.equal('fused ops');
          const model = await tf.loadLayersModel(`${mirror}${spec.mirrorFolder}/model.json`);
          try {
            for (const img of photos ? [...photos.rock, ...photos.paper] : [image]) {
              const ours = values(embedder.embed(img));
              const theirs = values(
                tf.tidy(() => model.predict(tf.browser.fromPixels(img).toFloat().div(127.5).sub(1).expandDims(0)) as tf.Tensor),
              );
              expect(theirs).to.have.length(spec.embeddingDim);
              expect(relativeError(ours, theirs)).to.be.lessThan(1e-4);
              expect(cosine(ours, theirs)).to.be.greaterThan(0.99999);
            }
          } finally {
            model.dispose();
          }
        });
      }

      it('is folded the same way when it comes from the browser cache (IndexedDB)', async () => {
        const cachedSpec = { ...spec, revision: spec.revision + 1000 };
        await removeFromCache(cachedSpec);
        const first = await loadEmbedder(cachedSpec, { mirrorBase: mirror, useCache: true });
        first.dispose();
        expect(await isCached(cachedSpec)).to.equal(true);
        const sources: string[] = [];
        const cached = await loadEmbedder(cachedSpec, { mirrorBase: mirror, useCache: true, onProgress: (p) => sources.push(p.source) });
        try {
          expect(sources).to.deep.equal(['cache']);
          expect(cached.execution).to.equal('fused ops');
          expect(cosine(values(cached.embed(image)), values(embedder.embed(image)))).to.be.greaterThan(0.99999);
        } finally {
          cached.dispose();
          await removeFromCache(cachedSpec);
        }
      });

      it('puts two photos of the same hand sign closer together than a rock and a paper (on average)', function () {
        if (!photos) this.skip();
        const rock = photos!.rock.map((p) => values(embedder.embed(p)));
        const paper = photos!.paper.map((p) => values(embedder.embed(p)));
        const pairs = (xs: number[][]) => xs.flatMap((a, i) => xs.slice(i + 1).map((b) => cosine(a, b)));
        const same = mean([...pairs(rock), ...pairs(paper)]);
        const across = mean(rock.flatMap((a) => paper.map((b) => cosine(a, b))));
        expect(same, `same-class ${same.toFixed(3)} vs cross-class ${across.toFixed(3)}`).to.be.greaterThan(across);
      });
    });
  }
});
