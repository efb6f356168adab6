import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { chooseFastestBackend, median, useBackend } from '../../../src/platform/backend';

describe('backend', () => {
  it('median takes the middle value, or the mean of the two middle ones, without sorting the input', () => {
    const odd = [5, 1, 3];
    expect(median(odd)).to.equal(3);
    expect(odd).to.deep.equal([5, 1, 3]);
    expect(median([10, 2, 4, 8])).to.equal(6);
    // Sorted as numbers, not strings ("10" < "9").
    expect(median([9, 10, 100])).to.equal(10);
    expect(median([7])).to.equal(7);
  });

  it('runs in a cross-origin isolated page (wasm threads need SharedArrayBuffer)', () => {
    expect(crossOriginIsolated).to.equal(true);
    expect(typeof SharedArrayBuffer).to.equal('function');
  });

  it("useBackend('wasm') switches to wasm with SIMD and threads", async () => {
    const choice = await useBackend('wasm');
    expect(choice.name).to.equal('wasm');
    expect(tf.getBackend()).to.equal('wasm');
    expect(choice.detail).to.equal('SIMD, threads');
    // And the backend computes.
    const sum = tf.tidy(() => tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
    expect(sum).to.equal(6);
  });

  it('chooseFastestBackend measures every candidate and leaves the fastest one active', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const choice = await chooseFastestBackend(['wasm', 'cpu']);
    expect(['wasm', 'cpu']).to.include(choice.name);
    expect(Object.keys(choice.measuredMs).sort()).to.deep.equal(['cpu', 'wasm']);
    for (const ms of Object.values(choice.measuredMs)) expect(ms).to.be.a('number').and.be.greaterThan(0);
    const fastest = Math.min(...Object.values(choice.measuredMs));
    expect(choice.measuredMs[choice.name]).to.equal(fastest);
    expect(tf.getBackend()).to.equal(choice.name);
    if (choice.name === 'wasm') expect(choice.detail).to.equal('SIMD, threads');
    else expect(choice.detail).to.equal('');
    // The probe's tensors were released on every backend it ran on.
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('chooseFastestBackend skips a backend that is not registered and still chooses one', async () => {
    const choice = await chooseFastestBackend(['no-such-backend' as 'cpu', 'cpu']);
    expect(choice.name).to.equal('cpu');
    expect(Object.keys(choice.measuredMs)).to.deep.equal(['cpu']);
    expect(tf.getBackend()).to.equal('cpu');
  });
});
