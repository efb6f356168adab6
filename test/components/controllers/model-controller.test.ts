import { expect, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ModelController } from '../../../components/controllers/model-controller';
import type { AppConfig } from '../../../src/platform/config';
import type { Embedder } from '../../../src/models/embedder';
import { removeFromCache } from '../../../src/models/loader';
import { MODEL_CATALOG } from '../../../src/models/catalog';

/** A stand-in for a Lit element: the controller only needs addController and requestUpdate. */
class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController) {
    this.controllers.push(controller);
  }
  removeController() {}
  requestUpdate() {
    this.updates++;
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('ModelController', function () {
  let mirror: string | null = null;

  before(async function () {
    mirror = ((await (await fetch('/app-config.json')).json()) as AppConfig).modelMirror;
    if (!mirror) {
      console.warn('Skipping ModelController tests: they load real MobileNets from ../shared/models, which is absent.');
      this.skip();
    }
    for (const spec of MODEL_CATALOG) await removeFromCache(spec);
  });

  it('reports a missing model clearly and recovers on retry once the cause is gone', async () => {
    const host = new FakeHost();
    const configs: AppConfig[] = [{ modelMirror: '/no-such-mirror/' }, { modelMirror: mirror }];
    const seen: (Embedder | null)[] = [];
    const controller = new ModelController(host, {
      backend: 'wasm',
      storage: memoryStorage({ 'teachable.model': 'mobilenet-v1-0.25' }),
      loadConfig: async () => configs.shift()!,
      onEmbedder: (embedder) => void seen.push(embedder),
    });
    controller.hostConnected();
    await waitUntil(() => controller.status === 'error', 'never failed', { timeout: 20000 });
    expect(controller.errorMessage).to.contain('not found');
    expect(controller.errorMessage).to.contain('/no-such-mirror/mobilenet_v1_0.25_224_tfhub_graph/model.json');
    expect(seen).to.deep.equal([]);

    await controller.retry();
    expect(controller.status).to.equal('ready');
    expect(controller.errorMessage).to.equal(null);
    expect(seen.length).to.equal(1);
    expect(seen[0]?.spec.id).to.equal('mobilenet-v1-0.25');
    expect(host.updates).to.be.greaterThan(2);
    controller.hostDisconnected();
    await waitUntil(() => seen.length === 2, 'embedder not released');
    expect(seen[1]).to.equal(null);
  });

  it('switches models one at a time even when asked in quick succession, leaking nothing', async () => {
    const host = new FakeHost();
    const storage = memoryStorage({ 'teachable.model': 'mobilenet-v1-0.25' });
    let current: Embedder | null = null;
    const controller = new ModelController(host, {
      backend: 'wasm',
      storage,
      loadConfig: async () => ({ modelMirror: mirror }),
      onEmbedder: (embedder) => {
        current = embedder;
      },
    });
    controller.hostConnected();
    await waitUntil(() => controller.status === 'ready', 'first load', { timeout: 30000 });
    const tensorsWithOne = tf.memory().numTensors;

    // Ask for V2 0.35 then straight back to V1 0.25 before the first switch has finished.
    const first = controller.select('mobilenet-v2-0.35');
    const second = controller.select('mobilenet-v1-0.25');
    await Promise.all([first, second]);
    await waitUntil(() => controller.status === 'ready', 'second load', { timeout: 30000 });
    expect(controller.modelId).to.equal('mobilenet-v1-0.25');
    expect((current as Embedder | null)?.spec.id).to.equal('mobilenet-v1-0.25');
    expect(storage.items.get('teachable.model')).to.equal('mobilenet-v1-0.25');
    // Exactly one network's weights are alive: the abandoned V2 0.35 load was disposed.
    expect(tf.memory().numTensors).to.equal(tensorsWithOne);

    controller.hostDisconnected();
    await waitUntil(() => current === null, 'embedder not released');
  });
});
