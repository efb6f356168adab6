import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/platform/backend';
import { DEFAULT_MODEL_ID, findModel, MODEL_CATALOG, modelUrl, type ModelSpec } from '../../../src/models/catalog';
import type { Embedder } from '../../../src/models/embedder';
import { isCached, loadEmbedder, ModelLoadError, removeFromCache, type LoadProgress } from '../../../src/models/loader';
import {
  fakeFetch,
  fileResponse,
  modelFiles,
  modelRoute,
  notFound,
  solidImage,
  TINY_DIM,
  tinyNetwork,
  tinySpec,
  type ModelFiles,
} from '../../helpers/tiny-model';

const MIRROR = '/tiny-mirror/';

describe('model catalog', () => {
  it('lists three genuine MobileNets with distinct ids and mirror folders', () => {
    expect(MODEL_CATALOG).to.have.length(3);
    expect(new Set(MODEL_CATALOG.map((s) => s.id)).size).to.equal(3);
    expect(new Set(MODEL_CATALOG.map((s) => s.mirrorFolder)).size).to.equal(3);
    expect(findModel(DEFAULT_MODEL_ID)).to.not.equal(undefined);
    for (const spec of MODEL_CATALOG) {
      expect(findModel(spec.id)).to.equal(spec);
      expect(spec.embeddingDim, spec.id).to.be.oneOf([256, 1280]);
      if (spec.format === 'graph') expect(spec.embeddingNode, spec.id).to.be.a('string').and.not.equal('');
    }
    expect(findModel('mobilenet-v3')).to.equal(undefined);
  });

  it('modelUrl picks the mirror when given, with or without a trailing slash, and never asks for TF Hub form then', () => {
    for (const spec of MODEL_CATALOG) {
      const expected = `/models/${spec.mirrorFolder}/model.json`;
      expect(modelUrl(spec, '/models/')).to.deep.equal({ url: expected, fromTFHub: false });
      expect(modelUrl(spec, '/models')).to.deep.equal({ url: expected, fromTFHub: false });
      expect(modelUrl(spec, 'http://127.0.0.1:9/m/').url).to.equal(`http://127.0.0.1:9/m/${spec.mirrorFolder}/model.json`);
    }
  });

  it('modelUrl uses the public URL without a mirror, with fromTFHub exactly for TF Hub URLs', () => {
    for (const spec of MODEL_CATALOG) {
      const { url, fromTFHub } = modelUrl(spec, null);
      expect(url).to.equal(spec.publicUrl);
      expect(url).to.match(/^https:\/\//);
      const isHub = new URL(url).hostname === 'tfhub.dev';
      expect(fromTFHub, spec.id).to.equal(isHub);
      // tfjs appends ?tfjs-format=file itself for TF Hub; a plain model.json must not get it.
      if (!isHub) expect(url, spec.id).to.match(/\/model\.json$/);
    }
    expect(MODEL_CATALOG.filter((s) => s.fromTFHub).map((s) => s.format)).to.deep.equal(['graph', 'graph']);
  });
});

describe('loadEmbedder with a tiny model', () => {
  let network: tf.Sequential;
  let files: ModelFiles;
  const specsUsed: ModelSpec[] = [];

  /** A fresh spec whose cache entry is removed after the test. */
  const freshSpec = (overrides: Partial<ModelSpec> = {}) => {
    const spec = tinySpec(overrides);
    specsUsed.push(spec);
    return spec;
  };

  before(async () => {
    await useBackend('wasm');
    network = tinyNetwork();
    files = await modelFiles(network);
  });

  afterEach(async () => {
    for (const spec of specsUsed.splice(0)) {
      await removeFromCache(spec);
      await removeFromCache({ ...spec, revision: spec.revision + 1 });
    }
  });

  after(() => network.dispose());

  /** What the network itself gives for an image, with the [-1, 1] input scaling the spec asks for. */
  const direct = (image: ImageData) =>
    tf.tidy(() => {
      const x = tf.browser.fromPixels(image).toFloat().div(127.5).sub(1).expandDims(0);
      return Array.from((network.predict(x) as tf.Tensor).dataSync());
    });

  const failure = async (promise: Promise<unknown>): Promise<ModelLoadError> => {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(ModelLoadError);
      return error as ModelLoadError;
    }
    throw new Error('The load succeeded but should have failed.');
  };

  it('loads the served files and embeds an image into finite numbers equal to the network’s own output', async () => {
    const spec = freshSpec();
    const { fetchFunc, calls } = fakeFetch(modelRoute(files));
    const embedder = await loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc });
    expect(calls).to.deep.equal([`${MIRROR}${spec.mirrorFolder}/model.json`, `${MIRROR}${spec.mirrorFolder}/weights.bin`]);
    expect(embedder.spec).to.equal(spec);
    const image = solidImage([200, 40, 90], 30);
    const embedding = embedder.embed(image);
    expect(embedding.shape).to.deep.equal([TINY_DIM]);
    const values = Array.from(embedding.dataSync());
    embedding.dispose();
    expect(values.every(Number.isFinite)).to.equal(true);
    expect(values.some((v) => v !== 0)).to.equal(true);
    // The served weights were used (a freshly initialised copy would give different numbers).
    const expected = direct(image);
    values.forEach((v, i) => expect(v).to.be.closeTo(expected[i], 1e-4));
    embedder.dispose();
    expect(await isCached(spec)).to.equal(false);
  });

  it('asks TF Hub for the tfjs files of a TF Hub model when there is no mirror, as tf.loadGraphModel would', async () => {
    const spec = freshSpec({ publicUrl: 'https://tfhub.dev/google/tiny/1', fromTFHub: true });
    const { fetchFunc, calls } = fakeFetch(modelRoute(files));
    (await loadEmbedder(spec, { mirrorBase: null, useCache: false, fetchFunc })).dispose();
    expect(calls).to.deep.equal([
      'https://tfhub.dev/google/tiny/1/model.json?tfjs-format=file',
      'https://tfhub.dev/google/tiny/1/weights.bin?tfjs-format=file',
    ]);
    // A plain public model.json is fetched as it is.
    const plain = freshSpec({ publicUrl: 'https://example.invalid/m/model.json' });
    const second = fakeFetch(modelRoute(files));
    (await loadEmbedder(plain, { mirrorBase: null, useCache: false, fetchFunc: second.fetchFunc })).dispose();
    expect(second.calls[0]).to.equal('https://example.invalid/m/model.json');
  });

  it('reports byte progress from the network that never goes backwards and ends at 1', async () => {
    const spec = freshSpec();
    const progress: LoadProgress[] = [];
    const { fetchFunc } = fakeFetch(modelRoute(files));
    const embedder = await loadEmbedder(spec, {
      mirrorBase: MIRROR,
      useCache: false,
      fetchFunc,
      onProgress: (p) => progress.push(p),
    });
    embedder.dispose();
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.every((p) => p.source === 'network')).to.equal(true);
    const fractions = progress.map((p) => p.fraction).filter((f): f is number => f !== null);
    expect(fractions.length).to.be.greaterThan(0);
    expect(fractions[fractions.length - 1]).to.equal(1);
    for (let i = 1; i < fractions.length; i++) {
      expect(fractions[i], `progress went from ${fractions[i - 1]} to ${fractions[i]}`).to.be.at.least(fractions[i - 1]);
    }
    expect(fractions.every((f) => f >= 0 && f <= 1)).to.equal(true);
    // The bar must not claim to be done before the weights, which are most of the bytes, have arrived.
    expect(fractions.filter((f) => f === 1)).to.have.length(1);
  });

  it('keeps a copy in IndexedDB and loads it from there next time without fetching; removeFromCache forgets it', async () => {
    const spec = freshSpec();
    const image = solidImage([10, 220, 120], 20);
    const first = fakeFetch(modelRoute(files));
    const downloaded = await loadEmbedder(spec, { mirrorBase: MIRROR, useCache: true, fetchFunc: first.fetchFunc });
    expect(first.calls).to.have.length(2);
    expect(await isCached(spec)).to.equal(true);
    const fromNetwork = tf.tidy(() => Array.from(downloaded.embed(image).dataSync()));
    downloaded.dispose();

    const second = fakeFetch(modelRoute(files));
    const progress: LoadProgress[] = [];
    const cached = await loadEmbedder(spec, {
      mirrorBase: MIRROR,
      useCache: true,
      fetchFunc: second.fetchFunc,
      onProgress: (p) => progress.push(p),
    });
    expect(second.calls).to.deep.equal([]);
    expect(progress).to.deep.equal([{ fraction: 1, source: 'cache' }]);
    const fromCache = tf.tidy(() => Array.from(cached.embed(image).dataSync()));
    cached.dispose();
    fromCache.forEach((v, i) => expect(v).to.be.closeTo(fromNetwork[i], 1e-6));

    await removeFromCache(spec);
    expect(await isCached(spec)).to.equal(false);
    const third = fakeFetch(modelRoute(files));
    const sources: string[] = [];
    const again = await loadEmbedder(spec, {
      mirrorBase: MIRROR,
      useCache: true,
      fetchFunc: third.fetchFunc,
      onProgress: (p) => sources.push(p.source),
    });
    again.dispose();
    expect(third.calls).to.have.length(2);
    expect(new Set(sources)).to.deep.equal(new Set(['network']));
  });

  it('does not use a cached copy of another revision', async () => {
    const spec = freshSpec();
    (await loadEmbedder(spec, { mirrorBase: MIRROR, useCache: true, fetchFunc: fakeFetch(modelRoute(files)).fetchFunc })).dispose();
    const next = { ...spec, revision: spec.revision + 1 };
    const { fetchFunc, calls } = fakeFetch(modelRoute(files));
    (await loadEmbedder(next, { mirrorBase: MIRROR, useCache: true, fetchFunc })).dispose();
    expect(calls).to.have.length(2);
  });

  it('downloads again, and replaces the entry, when the cached copy is not the network the spec describes', async () => {
    const spec = freshSpec();
    // A 4-number network stored under this spec's cache key, as a damaged or stale entry would be.
    const wrong = tinyNetwork(TINY_DIM / 2, 5);
    await wrong.save(`indexeddb://teachable-${spec.id}-r${spec.revision}`);
    wrong.dispose();
    expect(await isCached(spec)).to.equal(true);
    const { fetchFunc, calls } = fakeFetch(modelRoute(files));
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    let embedder: Embedder;
    try {
      embedder = await loadEmbedder(spec, { mirrorBase: MIRROR, useCache: true, fetchFunc });
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(1);
    expect(String(warnings[0][0])).to.match(/cached model unreadable/i);
    expect(calls).to.have.length(2);
    const dim = tf.tidy(() => embedder.embed(solidImage([1, 2, 3])).size);
    embedder.dispose();
    expect(dim).to.equal(TINY_DIM);
    // The good copy replaced the bad one.
    const { fetchFunc: unused, calls: none } = fakeFetch(() => notFound());
    (await loadEmbedder(spec, { mirrorBase: MIRROR, useCache: true, fetchFunc: unused })).dispose();
    expect(none).to.deep.equal([]);
  });

  it('a 404 on model.json is "not-found" and names the URL', async () => {
    const spec = freshSpec();
    const url = `${MIRROR}${spec.mirrorFolder}/model.json`;
    const error = await failure(
      loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc: fakeFetch(() => notFound()).fetchFunc }),
    );
    expect(error.kind).to.equal('not-found');
    expect(error.url).to.equal(url);
    expect(error.message).to.include(url);
    expect(await isCached(spec)).to.equal(false);
  });

  it('a 404 on the weights file is "not-found" too, and names that file', async () => {
    const spec = freshSpec();
    const { fetchFunc } = fakeFetch((url) =>
      url.endsWith('/model.json') ? fileResponse(files.modelJson, 'application/json') : notFound(),
    );
    const error = await failure(loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc }));
    expect(error.kind).to.equal('not-found');
    expect(error.message).to.include(`${MIRROR}${spec.mirrorFolder}/weights.bin`);
  });

  it('another HTTP error status is a "network" failure that gives the status', async () => {
    const spec = freshSpec();
    const { fetchFunc } = fakeFetch(() => new Response('busy', { status: 503 }));
    const error = await failure(loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc }));
    expect(error.kind).to.equal('network');
    expect(error.message).to.include('503');
  });

  it('a fetch that rejects with TypeError("Failed to fetch") is a "network" failure', async () => {
    const spec = freshSpec();
    const { fetchFunc } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await failure(loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc }));
    expect(error.kind).to.equal('network');
    expect(error.message).to.include(`${MIRROR}${spec.mirrorFolder}/model.json`);
  });

  it('the network dropping while the weights download is a "network" failure', async () => {
    const spec = freshSpec();
    const { fetchFunc } = fakeFetch((url) =>
      url.endsWith('/model.json')
        ? fileResponse(files.modelJson, 'application/json')
        : Promise.reject(new TypeError('Failed to fetch')),
    );
    const error = await failure(loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc }));
    expect(error.kind).to.equal('network');
  });

  it('a truncated weights file is "corrupt"', async () => {
    const spec = freshSpec();
    const short = { ...files, weights: files.weights.slice(0, files.weights.byteLength - 4 * TINY_DIM) };
    const error = await failure(
      loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc: fakeFetch(modelRoute(short)).fetchFunc }),
    );
    expect(error.kind).to.equal('corrupt');
    expect(error.message).to.include(spec.name);
  });

  it('a model.json that is not JSON is "corrupt"', async () => {
    const spec = freshSpec();
    const html = { ...files, modelJson: '<!doctype html><title>Sign in</title>' };
    const error = await failure(
      loadEmbedder(spec, { mirrorBase: MIRROR, useCache: false, fetchFunc: fakeFetch(modelRoute(html)).fetchFunc }),
    );
    expect(error.kind).to.equal('corrupt');
    expect(error.url).to.equal(`${MIRROR}${spec.mirrorFolder}/model.json`);
  });

  it('a network whose embedding is not the size the catalog gives is "corrupt" and is not cached', async () => {
    const spec = freshSpec({ embeddingDim: TINY_DIM * 2 });
    const error = await failure(
      loadEmbedder(spec, { mirrorBase: MIRROR, useCache: true, fetchFunc: fakeFetch(modelRoute(files)).fetchFunc }),
    );
    expect(error.kind).to.equal('corrupt');
    expect(await isCached(spec)).to.equal(false);
  });

  it('leaves no tensor behind after failed loads, or after a successful one is disposed', async () => {
    const mirrorOnly = { mirrorBase: MIRROR, useCache: false } as const;
    // The first load of a layers model registers a few tensors of its own (kernels, constants); do it once first.
    (await loadEmbedder(freshSpec(), { ...mirrorOnly, fetchFunc: fakeFetch(modelRoute(files)).fetchFunc })).dispose();
    const before = tf.memory().numTensors;
    const attempts: [string, ModelSpec, ReturnType<typeof fakeFetch>][] = [
      ['truncated weights', freshSpec(), fakeFetch(modelRoute({ ...files, weights: files.weights.slice(0, 100) }))],
      ['no weights at all', freshSpec(), fakeFetch(modelRoute({ ...files, weights: new ArrayBuffer(0) }))],
      ['wrong size', freshSpec({ embeddingDim: 3 }), fakeFetch(modelRoute(files))],
      ['not JSON', freshSpec(), fakeFetch(modelRoute({ ...files, modelJson: '{"modelTopology": ' }))],
      ['404', freshSpec(), fakeFetch(() => notFound())],
      ['weights 404', freshSpec(), fakeFetch((u) => (u.endsWith('.json') ? fileResponse(files.modelJson, 'application/json') : notFound()))],
    ];
    for (const [what, spec, { fetchFunc }] of attempts) {
      await failure(loadEmbedder(spec, { ...mirrorOnly, fetchFunc }));
      expect(tf.memory().numTensors, `tensors leaked by a failed load (${what})`).to.equal(before);
    }
    const ok = await loadEmbedder(freshSpec(), { ...mirrorOnly, fetchFunc: fakeFetch(modelRoute(files)).fetchFunc });
    expect(tf.memory().numTensors).to.be.greaterThan(before);
    ok.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
