/**
 * The paths a browser without a feature takes, forced in a browser that has it (src/capabilities.ts), against the
 * fast paths: no VideoFrame (the crop is drawn), no requestVideoFrameCallback (one step per display frame), no
 * cross-origin isolation (the k-NN store scans on the page alone), no Web Locks (every tab saves), no
 * BroadcastChannel (the output says it was not sent). WebAssembly without SIMD or threads: wasm-plain.test.ts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { PredictionLoopController } from '../../../components/controllers/prediction-loop';
import { useBackend } from '../../../src/platform/backend';
import { capabilities, withoutFeatures } from '../../../src/platform/capabilities';
import { KnnClassifier } from '../../../src/classifier/knn/knn';
import { DEFAULT_VOTE } from '../../../src/classifier/knn/vote';
import { FrameGrabber } from '../../../src/camera/frame';
import { browserDevices, OutputPlayer } from '../../../src/outputs/player';
import { saveLockName, takeSaveTurn } from '../../../src/storage/save-turn';
import { pausedVideoOf } from '../../helpers/paused-video';
import { seededRandom } from '../../helpers/tiny-model';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 640 x 480 picture with edges and gradients, so that a crop taken another way would differ. */
function picture(): HTMLCanvasElement {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, 640, 480);
  gradient.addColorStop(0, '#123');
  gradient.addColorStop(1, '#fc8');
  context.fillStyle = gradient;
  context.fillRect(0, 0, 640, 480);
  context.fillStyle = '#e22';
  context.fillRect(150, 100, 120, 90);
  context.fillStyle = '#22e';
  context.fillRect(380, 260, 90, 140);
  return canvas;
}

describe('without VideoFrame', () => {
  it("grabVideo draws the frame: grab()'s pixels bit for bit", async () => {
    const { video, stop } = await pausedVideoOf(picture());
    const restore = withoutFeatures('videoFrame');
    try {
      const grabber = new FrameGrabber();
      const drawn = Array.from(grabber.grab(video, true)!.data);
      const grabbed = (await grabber.grabVideo(video, true))!;
      expect(Array.from(grabbed.data)).to.deep.equal(drawn);
    } finally {
      restore();
      stop();
    }
  });

  it('the fast path, with VideoFrame, is what this browser takes otherwise, and differs from drawing only by rounding', async () => {
    expect(capabilities().videoFrame).to.equal(typeof VideoFrame !== 'undefined');
    const { video, stop } = await pausedVideoOf(picture());
    try {
      const grabber = new FrameGrabber();
      const drawn = grabber.grab(video, true)!.data.slice();
      const grabbed = (await grabber.grabVideo(video, true))!.data;
      let sum = 0;
      for (let i = 0; i < drawn.length; i++) if (i % 4 !== 3) sum += Math.abs(drawn[i] - grabbed[i]);
      expect(sum / ((drawn.length / 4) * 3)).to.be.below(0.75);
    } finally {
      stop();
    }
  });
});

describe('without requestVideoFrameCallback', () => {
  class Host {
    addController() {}
    removeController() {}
    requestUpdate() {}
    get updateComplete() {
      return Promise.resolve(true);
    }
  }

  it('the loop steps on animation frames, never asking the video for its frames', async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 16, height: 16 });
    const video = Object.assign(document.createElement('video'), { muted: true, srcObject: canvas.captureStream(5) });
    const context = canvas.getContext('2d')!;
    let paint = 0;
    const timer = setInterval(() => {
      context.fillStyle = paint++ % 2 ? '#000' : '#fff';
      context.fillRect(0, 0, 16, 16);
    }, 200);
    await video.play();
    let asked = 0;
    const ask = video.requestVideoFrameCallback.bind(video);
    video.requestVideoFrameCallback = (callback) => {
      asked++;
      return ask(callback);
    };
    const restore = withoutFeatures('videoFrameCallback');
    let steps = 0;
    const loop = new PredictionLoopController(new Host(), async () => void steps++, () => video);
    try {
      loop.start();
      await sleep(1000);
    } finally {
      loop.stop();
      restore();
      clearInterval(timer);
    }
    expect(asked).to.equal(0);
    // The camera sends about 5 frames a second; the display about 60 (fewer on a loaded machine).
    expect(steps).to.be.greaterThan(12);
  });
});

describe('without cross-origin isolation', () => {
  const DIM = 72;
  const ids = ['a', 'b', 'c', 'd'];

  function rows(seed: number, count: number): Float32Array {
    const random = seededRandom(seed);
    return Float32Array.from({ length: count * DIM }, () => (random() < 0.5 ? 0 : random()));
  }

  before(async () => {
    await useBackend('wasm');
  });

  it('the k-NN store scans on the page alone, in memory it does not share, with the votes of the shared scan bit for bit', async () => {
    const data = ids.map((_, c) => rows(60 + c, 700)); // 2,800 rows: enough for the two-thread scan to split them
    const restore = withoutFeatures('sharedMemory');
    const alone = new KnnClassifier();
    try {
      ids.forEach((id, c) => alone.setClassVectors(id, data[c], DIM));
    } finally {
      restore();
    }
    const isolated = new KnnClassifier();
    ids.forEach((id, c) => isolated.setClassVectors(id, data[c], DIM));
    try {
      // This page is cross-origin isolated (the test server sends the headers): the default store shares its memory.
      expect(crossOriginIsolated).to.equal(true);
      await waitUntil(() => isolated.parallelScan, 'the scan worker never started', { timeout: 10000 });
      await sleep(300);
      expect(alone.parallelScan).to.equal(false);
      for (let q = 0; q < 6; q++) {
        const query = tf.tensor1d(Array.from(rows(90 + q, 1)));
        try {
          const [shared, unshared] = [await isolated.predict(query.dataSync<'float32'>(), ids, DEFAULT_VOTE), await alone.predict(query.dataSync<'float32'>(), ids, DEFAULT_VOTE)];
          expect(unshared.votes).to.deep.equal(shared.votes);
        } finally {
          query.dispose();
        }
      }
    } finally {
      alone.dispose();
      isolated.dispose();
    }
  });
});

describe('without Web Locks', () => {
  it('a tab takes its turn to save at once, holding no lock', async () => {
    const name = `fallbacks-${Math.random()}`;
    const turns: boolean[] = [];
    const restore = withoutFeatures('webLocks');
    let giveUp: () => void;
    try {
      giveUp = takeSaveTurn(name, { onWaiting: () => expect.fail('it waited'), onTurn: (waited) => void turns.push(waited) });
    } finally {
      restore();
    }
    expect(turns).to.deep.equal([false]);
    const held = (await navigator.locks.query()).held ?? [];
    expect(held.map((lock) => lock.name)).not.to.include(saveLockName(name));
    giveUp();
  });

  it('with Web Locks, the same call holds the lock while it saves', async () => {
    const name = `fallbacks-${Math.random()}`;
    const turns: boolean[] = [];
    const giveUp = takeSaveTurn(name, { onWaiting: () => expect.fail('it waited'), onTurn: (waited) => void turns.push(waited) });
    await waitUntil(() => turns.length === 1, 'no turn');
    const held = (await navigator.locks.query()).held ?? [];
    expect(held.map((lock) => lock.name)).to.include(saveLockName(name));
    giveUp();
  });
});

describe('without BroadcastChannel', () => {
  it('a "Send to other pages" output says it was not sent, and nothing reaches the channel', async () => {
    const channel = `fallbacks-${Math.random()}`;
    const listener = new BroadcastChannel(channel);
    const received: unknown[] = [];
    listener.onmessage = (event) => received.push(event.data);
    const restore = withoutFeatures('broadcastChannel');
    const devices = browserDevices(channel);
    restore();
    const problems: string[] = [];
    const cue = { classId: 'a', label: 'Apple', index: 0, confidence: 0.9, previousClassId: null, previousLabel: null, time: 0 };
    try {
      expect(devices.channel).to.equal(null);
      new OutputPlayer(devices, (message) => problems.push(message)).play({ kind: 'broadcast' }, cue);
      // The same output with the browser's channel arrives: the listener would have heard the first.
      const withChannel = browserDevices(channel);
      new OutputPlayer(withChannel, (message) => problems.push(message)).play({ kind: 'broadcast' }, { ...cue, label: 'Banana' });
      await waitUntil(() => received.length > 0, 'the listener heard nothing');
      await sleep(100);
      withChannel.close();
    } finally {
      devices.close();
      listener.close();
    }
    expect(problems).to.deep.equal(['This browser has no BroadcastChannel, so "Apple" was not sent to other pages.']);
    expect(received.map((message) => (message as { label: string }).label)).to.deep.equal(['Banana']);
  });
});
