import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PredictionLoopController } from '../../../components/controllers/prediction-loop';

class FakeHost implements ReactiveControllerHost {
  addController(_: ReactiveController) {}
  removeController() {}
  requestUpdate() {}
  get updateComplete() {
    return Promise.resolve(true);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PredictionLoopController', () => {
  it('never runs a step before the previous one has finished', async () => {
    let running = 0;
    let maxRunning = 0;
    let steps = 0;
    const loop = new PredictionLoopController(
      new FakeHost(),
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(40); // slower than a display frame
        running--;
        steps++;
      },
      () => null,
    );
    loop.start();
    loop.start(); // a second start must not start a second chain
    await waitUntil(() => steps >= 5, 'steps did not run', { timeout: 5000 });
    loop.stop();
    expect(maxRunning).to.equal(1);
    expect(loop.lastStepMs).to.be.greaterThan(30);
  });

  it('stops scheduling on stop, and idle() waits for the step in flight', async () => {
    let steps = 0;
    let finished = false;
    const loop = new PredictionLoopController(
      new FakeHost(),
      async () => {
        steps++;
        await sleep(50);
        finished = true;
      },
      () => null,
    );
    loop.start();
    await waitUntil(() => steps === 1);
    loop.stop();
    await loop.idle();
    expect(finished).to.equal(true);
    const after = steps;
    await sleep(100);
    expect(steps).to.equal(after);
    expect(loop.isRunning).to.equal(false);
  });

  it('keeps going after a failing step', async () => {
    let steps = 0;
    const originalError = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => void logged.push(args);
    const loop = new PredictionLoopController(
      new FakeHost(),
      async () => {
        steps++;
        if (steps === 1) throw new Error('boom');
      },
      () => null,
    );
    try {
      loop.start();
      await waitUntil(() => steps >= 3, 'the loop stopped after an error');
    } finally {
      loop.stop();
      console.error = originalError;
    }
    expect(logged.length).to.equal(1);
  });

  it('paces itself by the frames of a playing video when it has one', async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 16, height: 16 });
    const video = Object.assign(document.createElement('video'), { muted: true, srcObject: canvas.captureStream(10) });
    const context = canvas.getContext('2d')!;
    let paint = 0;
    const timer = setInterval(() => {
      context.fillStyle = paint++ % 2 ? '#000' : '#fff';
      context.fillRect(0, 0, 16, 16);
    }, 100);
    await video.play();
    let steps = 0;
    const loop = new PredictionLoopController(new FakeHost(), async () => void steps++, () => video);
    loop.start();
    await sleep(1000);
    loop.stop();
    clearInterval(timer);
    // About 10 new frames a second: far fewer steps than display frames (~60 a second).
    expect(steps).to.be.within(3, 20);
  });
});
