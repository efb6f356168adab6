/**
 * The classic k-NN vote and "Export for knn-classifier" on real webcam frames (../shared/datasets/webcam-hand-gestures)
 * embedded by the real default MobileNet: the app's classic vote answers as a stand-alone page with the package
 * does after loading the exported file the way the README shows, and the file comes back in through Import.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import { useBackend } from '../../src/platform/backend';
import { classicVote } from '../../src/classifier/knn/classic-vote';
import { evaluateKnn } from '../../src/classifier/analysis/evaluate';
import { loadAppConfig } from '../../src/platform/config';
import { parseDataset, serializeKnnClassifier } from '../../src/dataset';
import { FrameGrabber } from '../../src/camera/frame';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder } from '../../src/models/loader';
import { Teachable } from '../../src/app/teachable';
import { framesByClass, loadImage, WEBCAM_FRAMES } from '../helpers/webcam-frames';

const CLASSES = ['up', 'palm', 'left'];
const TRAIN_PER_CLASS = 12;
const TEST_PER_CLASS = 10;

describe('the classic k-NN vote and the knn-classifier export, on real webcam frames', function () {
  let embedder: Embedder | null = null;
  let teachable: Teachable;
  const grabber = new FrameGrabber();
  const tests: { readonly label: string; readonly pixels: ImageData }[] = [];

  before(async function () {
    const mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    if (!mirror || !(await fetch(`${WEBCAM_FRAMES}/frames.csv`)).ok) {
      console.warn('Skipping: this needs the real MobileNets (../shared/models) and ../shared/datasets/webcam-hand-gestures.');
      this.skip();
    }
    await useBackend('wasm');
    embedder = await loadEmbedder(findModel(DEFAULT_MODEL_ID)!, { mirrorBase: mirror, useCache: false });
    teachable = new Teachable(0);
    teachable.setEmbedder(embedder);
    const byClass = await framesByClass(CLASSES);
    for (const name of CLASSES) {
      const { id } = teachable.addClass(name);
      const urls = byClass.get(name)!;
      for (const url of urls.slice(0, TRAIN_PER_CLASS)) await teachable.processFrame(grabber.grab(await loadImage(url), false)!, id);
      // Every third frame after the taught ones: other frames of the recordings.
      for (const url of urls.slice(TRAIN_PER_CLASS).filter((_, i) => i % 3 === 0).slice(0, TEST_PER_CLASS)) {
        tests.push({ label: name, pixels: grabber.grab(await loadImage(url), false)! });
      }
    }
    await teachable.settled();
  });

  after(() => {
    teachable?.dispose();
    embedder?.dispose();
  });

  it("answers every frame as a page with the package answers after loading the exported file with setClassifierDataset", async () => {
    teachable.voteOptions = { ...teachable.voteOptions, method: 'knn-classifier', k: 3 };
    const text = serializeKnnClassifier(await teachable.exportDataset());

    // The README's few lines, as a page using the package runs them.
    const classifier = knnClassifier.create();
    const data = JSON.parse(text) as [string, number[], [number, number]][];
    classifier.setClassifierDataset(Object.fromEntries(data.map(([label, numbers, shape]) => [label, tf.tensor2d(numbers, shape)])));

    const labelOf = new Map(teachable.classes.map((c) => [c.id, c.label]));
    const stored = await Promise.all(teachable.classes.map((c) => teachable.readExamples(DEFAULT_MODEL_ID, c.id)));
    const ours: (string | null)[] = [];
    const theirs: string[] = [];
    const plain: (string | null)[] = [];
    for (const { pixels } of tests) {
      const { prediction } = await teachable.processFrame(pixels, null);
      ours.push(prediction.classId === null ? null : labelOf.get(prediction.classId)!);
      const embedding = embedder!.embed(pixels);
      theirs.push((await classifier.predictClass(embedding, 3)).label);
      // The copy of the package's rule that the Evaluate panel's cross-validation uses (classic-vote.ts).
      const query = embedding.dataSync();
      const norm = Math.hypot(...query);
      const dim = query.length;
      const cosines = stored.map((rows) => Float32Array.from({ length: rows.length / dim }, (_, r) => rows.subarray(r * dim, (r + 1) * dim).reduce((sum, x, i) => sum + x * query[i], 0) / norm));
      const id = classicVote(new Map(teachable.classes.map((c, i) => [c.id, cosines[i]])), 3).classId;
      plain.push(id === null ? null : labelOf.get(id)!);
      embedding.dispose();
    }
    classifier.dispose();
    expect(ours).to.deep.equal(theirs);
    expect(plain).to.deep.equal(theirs);
    const correct = ours.filter((label, i) => label === tests[i].label).length;
    console.log(`classic k-NN (k = 3) on ${tests.length} held-out webcam frames: ${correct} right; the package agrees on every one`);
    // Real frames of three distinct gestures: far better than the third a guess gets.
    expect(correct / tests.length).to.be.greaterThan(0.6);
  });

  it('reads the exported file back as the same vectors, and cross-validates the classic vote as the Evaluate panel does', async () => {
    const exported = await teachable.exportDataset();
    const parsed = parseDataset(serializeKnnClassifier(exported));
    expect(parsed.source).to.equal('knn-classifier');
    expect(parsed.classes.map((c) => c.label)).to.deep.equal(CLASSES);
    parsed.classes.forEach((c, i) => expect(Array.from(c.vectors)).to.deep.equal(Array.from(exported.classes[i].vectors)));

    const classIds = teachable.classes.map((c) => c.id);
    const vectors = await Promise.all(classIds.map((id) => teachable.readExamples(DEFAULT_MODEL_ID, id)));
    const evaluation = evaluateKnn({ classIds, vectors, dim: exported.dimension }, { vote: { k: 3, sharpness: 30, method: 'knn-classifier' }, folds: 'leave-one-out' });
    expect(evaluation.total).to.equal(CLASSES.length * TRAIN_PER_CLASS);
    expect(evaluation.accuracy).to.be.greaterThan(0.6);
  });
});
