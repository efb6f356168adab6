import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/platform/backend';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src/app/dense-settings';
import { HeadTrainer, trainingDataFor } from '../../../src/app/head-trainer';
import { evaluateHeadMode, evaluateKnnMode } from '../../../src/app/mode-evaluation';
import { Embedder } from '../../../src/models/embedder';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyNetwork, tinySpec, tinyEmbedderPair } from '../../helpers/tiny-model';

const REDS = [0, 10, 20, 30, 40, 50].map((p) => solidImage([220, 30, 30], p));
const BLUES = [0, 10, 20, 30, 40, 50].map((p) => solidImage([30, 30, 220], p));
const RED = solidImage([225, 35, 28], 15);
const BLUE = solidImage([28, 35, 225], 15);
/** Small and quick on the tiny network. */
const FAST = { ...DEFAULT_TRAINING_SETTINGS, epochs: 8, batchSize: 4 };

describe('HeadTrainer', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let trainer: HeadTrainer;
  let red: string;
  let blue: string;
  let baseline: number;

  beforeEach(async () => {
    baseline = tf.memory().numTensors;
    teachable = new Teachable();
    teachable.setEmbedder(tiny.a);
    teachable.denseSettings = FAST;
    [red, blue] = teachable.classes.map((c) => c.id);
    for (const image of REDS) await teachable.processFrame(image, red);
    for (const image of BLUES) await teachable.processFrame(image, blue);
    trainer = new HeadTrainer(teachable);
  });

  afterEach(() => {
    trainer.dispose();
    teachable.dispose();
    expect(tf.memory().numTensors, 'every tensor is freed').to.equal(baseline);
  });

  it('trains on the current examples, reports every epoch, and classifies frames on the same embedding', async () => {
    const phases: string[] = [];
    trainer.addEventListener('change', () => phases.push(trainer.phase));
    const before = tf.memory().numTensors;
    await trainer.train({ patience: 0 });
    expect(phases[0]).to.equal('training');
    expect(trainer.phase).to.equal('trained');
    expect(trainer.history.map((r) => r.epoch)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(trainer.message).to.deep.equal({ text: 'Trained on 8 epochs.', isError: false });
    expect(trainer.progress).to.equal(null);
    expect(tf.memory().numTensors, "only the head's weights remain").to.equal(before + 3);

    expect((await teachable.processFrame(RED, null)).dense, "the mode 'knn' does not run the head").to.equal(null);
    teachable.classifierMode = 'both';
    // The head's first prediction prepares its inference weights once; frames after it must add nothing.
    await teachable.processFrame(RED, null);
    const during = tf.memory().numTensors;
    const redResult = await teachable.processFrame(RED, null);
    expect(redResult.dense?.classId).to.equal(red);
    expect(redResult.prediction.classId).to.equal(red);
    expect((await teachable.processFrame(BLUE, null)).dense?.classId).to.equal(blue);
    expect(tf.memory().numTensors, 'a frame leaves nothing behind').to.equal(during);
  });

  it('refuses fewer than 2 classes and a class with no examples, saying which, and leaves no tensor', async () => {
    teachable.deleteClass(blue);
    const before = tf.memory().numTensors;
    await trainer.train();
    expect(trainer.message?.isError).to.equal(true);
    expect(trainer.message?.text).to.match(/Cannot train: .*at least 2 classes/);
    expect(trainer.phase).to.equal('untrained');
    const empty = teachable.addClass('Cup');
    await trainer.train();
    expect(trainer.message?.text).to.equal('Cannot train: Class "Cup" has no examples: record some or remove it.');
    expect(tf.memory().numTensors).to.equal(before);
    await teachable.processFrame(BLUE, empty.id);
    teachable.addClass('Plate');
    const beforePlate = tf.memory().numTensors;
    await trainer.train();
    expect(trainer.message?.text).to.equal('Cannot train: Class "Plate" has no examples: record some or remove it.');
    expect(trainer.phase).to.equal('untrained');
    expect(tf.memory().numTensors).to.equal(beforePlate);
  });

  it('stops with a clear message when the loss stops being finite, keeping the previous head', async () => {
    await trainer.train();
    const head = trainer.head;
    const before = tf.memory().numTensors;
    await trainer.train({ learningRate: 1e30 });
    expect(trainer.message?.isError).to.equal(true);
    expect(trainer.message?.text).to.match(/^Training failed: The loss became .* lower learning rate/);
    expect(trainer.head).to.equal(head);
    expect(trainer.phase).to.equal('trained');
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('cancels in the middle of an epoch, keeping the previous head and leaving no tensor', async () => {
    await trainer.train();
    const head = trainer.head;
    teachable.classifierMode = 'dense';
    const before = tf.memory().numTensors;
    const epochsSeen: number[] = [];
    trainer.addEventListener('change', () => {
      const p = trainer.progress;
      if (p && p.epoch === 2 && p.batch === 1) trainer.cancel();
      if (p) epochsSeen.push(p.epoch);
    });
    await trainer.train({ epochs: 50 });
    expect(Math.max(...epochsSeen)).to.equal(2);
    expect(trainer.history.map((r) => r.epoch), 'the second epoch never finished').to.deep.equal([1]);
    expect(trainer.message).to.deep.equal({ text: 'Training was cancelled. Nothing changed.', isError: false });
    expect(trainer.head).to.equal(head);
    expect(trainer.phase).to.equal('trained');
    expect(tf.memory().numTensors).to.equal(before);
    expect((await teachable.processFrame(RED, null)).dense?.classId, 'the previous head still predicts').to.equal(red);
  });

  it('marks the head stale when examples or classes change, but not on a rename', async () => {
    await trainer.train();
    teachable.renameClass(red, 'Apple');
    expect(trainer.phase).to.equal('trained');
    await teachable.processFrame(RED, red);
    expect(trainer.phase).to.equal('stale');
    expect(trainer.staleReason).to.equal('examples were added to "Apple"');
    teachable.classifierMode = 'both';
    expect((await teachable.processFrame(RED, null)).dense, 'a stale head still predicts').to.not.equal(null);

    await trainer.train();
    expect(trainer.phase).to.equal('trained');
    teachable.addClass();
    expect(trainer.staleReason).to.equal('a class was added or turned on');

    await trainer.train().catch(() => undefined);
    expect(trainer.message?.text, 'the new class is empty').to.match(/has no examples/);
    expect(trainer.phase, 'the old head stays, still stale').to.equal('stale');
  });

  it('is stale, and not used, on another model; fine again on its own', async () => {
    teachable.classifierMode = 'both';
    await trainer.train();
    teachable.setEmbedder(tiny.b);
    expect(trainer.phase).to.equal('stale');
    expect(trainer.staleReason).to.match(/another model/);
    expect(trainer.headForCurrentModel).to.equal(false);
    expect((await teachable.processFrame(RED, null)).dense).to.equal(null);
    teachable.setEmbedder(tiny.a);
    expect(trainer.phase).to.equal('trained');
    expect((await teachable.processFrame(RED, null)).dense?.classId).to.equal(red);
  });

  it('trains on a snapshot when examples are deleted while it runs, and marks the result stale', async () => {
    let cleared = false;
    trainer.addEventListener('change', () => {
      if (!cleared && trainer.progress?.batch === 1) {
        cleared = true;
        teachable.clearClass(blue);
      }
    });
    await trainer.train({ patience: 0 });
    expect(cleared).to.equal(true);
    expect(trainer.history).to.have.length(FAST.epochs);
    expect(trainer.history.every((r) => Number.isFinite(r.loss))).to.equal(true);
    expect(trainer.phase).to.equal('stale');
    expect(trainer.staleReason).to.equal('the examples of "Class 2" were cleared while it trained');
    expect(teachable.exampleCount(blue)).to.equal(0);
  });

  it('marks the result stale when every example of a class is deleted one by one while it runs, and again on undo', async () => {
    let deleted = false;
    trainer.addEventListener('change', () => {
      if (!deleted && trainer.progress?.batch === 1) {
        deleted = true;
        teachable.deleteExamples(blue, BLUES.map((_, row) => row));
      }
    });
    await trainer.train({ patience: 0 });
    expect(deleted).to.equal(true);
    expect(trainer.history.every((r) => Number.isFinite(r.loss))).to.equal(true);
    expect(trainer.phase).to.equal('stale');
    expect(trainer.staleReason).to.equal('examples of "Class 2" were deleted or put back while it trained');
    expect(teachable.exampleCount(blue)).to.equal(0);
    await trainer.train().catch(() => undefined);
    expect(trainer.message?.text, 'nothing to learn "Class 2" from now').to.match(/has no examples/);
    expect(teachable.undo().undone).to.equal(true);
    expect(teachable.exampleCount(blue)).to.equal(BLUES.length);
    await trainer.train();
    expect(trainer.phase).to.equal('trained');
    teachable.deleteExamples(blue, [0]);
    expect(trainer.staleReason).to.equal('examples of "Class 2" were deleted or put back');
  });

  it('marks the result stale when a class it learns is deleted while it runs', async () => {
    let deleted = false;
    trainer.addEventListener('change', () => {
      if (!deleted && trainer.progress?.batch === 1) {
        deleted = true;
        teachable.deleteClass(blue);
      }
    });
    await trainer.train();
    expect(trainer.staleReason).to.equal('a class was deleted while it trained');
    teachable.classifierMode = 'dense';
    const result = await teachable.processFrame(RED, null);
    expect(result.dense?.confidences.map((c) => c.classId)).to.deep.equal([red, blue]);
  });

  it('says so when no model is loaded, and does nothing on a second train() while one runs', async () => {
    const first = trainer.train();
    const second = trainer.train();
    await Promise.all([first, second]);
    expect(trainer.phase).to.equal('trained');
    teachable.setEmbedder(null);
    await trainer.train();
    expect(trainer.message).to.deep.equal({ text: 'Cannot train: no model is loaded yet.', isError: true });
  });
});

describe('evaluating the modes', () => {
  let embedder: Embedder;
  let teachable: Teachable;
  let trainer: HeadTrainer;

  before(async () => {
    await useBackend('wasm');
    embedder = new Embedder(tinySpec(), tinyNetwork(8, 3));
  });

  after(() => embedder.dispose());

  beforeEach(() => {
    teachable = new Teachable();
    teachable.setEmbedder(embedder);
    trainer = new HeadTrainer(teachable);
  });

  afterEach(() => {
    trainer.dispose();
    teachable.dispose();
  });

  async function record(perClass: number): Promise<void> {
    const [red, blue] = teachable.classes.map((c) => c.id);
    for (let i = 0; i < perClass; i++) {
      await teachable.processFrame(REDS[i % REDS.length], red);
      await teachable.processFrame(BLUES[i % BLUES.length], blue);
    }
  }

  it('measures the k-NN by leave-one-out up to 60 examples, by 5 folds beyond', async () => {
    expect('problem' in (await evaluateKnnMode(teachable, await trainingDataFor(teachable, embedder.spec.id)))).to.equal(true);
    await record(3);
    const small = await evaluateKnnMode(teachable, await trainingDataFor(teachable, embedder.spec.id));
    if (!('result' in small)) throw new Error(small.problem);
    expect(small.result.method).to.match(/^Leave-one-out: each of the 6 examples/);
    expect(small.result.evaluation.total).to.equal(6);
    expect(small.result.method).to.match(/ Vote: soft nearest \(default\)\.$/);
    teachable.voteOptions = { ...teachable.voteOptions, method: 'knn-classifier', k: 3 };
    const classic = await evaluateKnnMode(teachable, await trainingDataFor(teachable, embedder.spec.id));
    if (!('result' in classic)) throw new Error(classic.problem);
    expect(classic.result.method).to.match(/ Vote: classic k-NN \(knn-classifier's predictClass, k = 3\)\.$/);
    expect(classic.result.evaluation.total).to.equal(6);
    teachable.voteOptions = { ...teachable.voteOptions, method: 'soft-nearest' };
    await record(27);
    const most = await evaluateKnnMode(teachable, await trainingDataFor(teachable, embedder.spec.id));
    if (!('result' in most)) throw new Error(most.problem);
    expect(most.result.method).to.match(/^Leave-one-out: each of the 60 examples/);
    await record(1);
    const large = await evaluateKnnMode(teachable, await trainingDataFor(teachable, embedder.spec.id));
    if (!('result' in large)) throw new Error(large.problem);
    expect(large.result.method).to.match(/^5-fold/);
    expect(large.result.evaluation.total).to.equal(62);
    expect(large.result.evaluation.perClass.map((c) => c.total)).to.deep.equal([31, 31]);
  });

  it('measures the head on its validation split only, and refuses a stale head', async () => {
    expect(await evaluateHeadMode(trainer.head, trainer.headModelId, teachable)).to.deep.equal({ problem: 'Train the dense head to measure it.' });
    await record(6);
    await trainer.train({ epochs: 20, batchSize: 4 });
    const outcome = await evaluateHeadMode(trainer.head, trainer.headModelId, teachable);
    if (!('result' in outcome)) throw new Error(outcome.problem);
    // 15% of 6, rounded up: one example of each class held out.
    expect(outcome.result.evaluation.total).to.equal(2);
    expect(outcome.result.evaluation.perClass.map((c) => c.total)).to.deep.equal([1, 1]);
    expect(outcome.result.method).to.match(/Validation split: the 2 examples held out/);
    await record(1);
    const stale = await evaluateHeadMode(trainer.head, trainer.headModelId, teachable);
    expect(stale).to.deep.equal({ problem: 'The examples changed after the head was trained: train it again to measure it.' });
  });
});

describe('Teachable: mode and dense settings', () => {
  it('saves them with the other settings, loads older saved states with the defaults, and refuses bad ones', () => {
    const teachable = new Teachable();
    let changes = 0;
    teachable.addEventListener('change', () => changes++);
    teachable.classifierMode = 'both';
    teachable.denseSettings = { units: 32, epochs: 20, learningRate: 0.01, batchSize: 8 };
    teachable.voteOptions = { k: 4, sharpness: 30, method: 'mean-of-k' };
    expect(changes).to.equal(3);
    const state = teachable.savedState();
    const restored = new Teachable(0);
    restored.restoreState(state, []);
    expect(restored.classifierMode).to.equal('both');
    expect(restored.denseSettings).to.deep.equal({ units: 32, epochs: 20, learningRate: 0.01, batchSize: 8 });
    expect(restored.voteOptions).to.deep.equal({ k: 4, sharpness: 30, method: 'mean-of-k' });

    const older = { classes: state.classes, nextClassNumber: state.nextClassNumber, settings: { k: 3, sharpness: 30 } };
    restored.restoreState(older, []);
    expect(restored.classifierMode).to.equal('knn');
    expect(restored.denseSettings).to.deep.equal(DEFAULT_TRAINING_SETTINGS);

    expect(() => restored.restoreState({ ...state, mode: 'neither' as never }, [])).to.throw(RangeError, /mode/);
    expect(() => restored.restoreState({ ...state, dense: { ...state.dense!, units: 0 } }, [])).to.throw(RangeError, /dense/);
    expect(() => (teachable.denseSettings = { ...DEFAULT_TRAINING_SETTINGS, batchSize: 1.5 })).to.throw(RangeError, /batchSize/);
    expect(() => (teachable.classifierMode = 'all' as never)).to.throw(RangeError);
    expect(() => (teachable.voteOptions = { k: 3, sharpness: 30, method: 'majority' as never })).to.throw(RangeError, /vote method/);
    teachable.dispose();
    restored.dispose();
  });
});
