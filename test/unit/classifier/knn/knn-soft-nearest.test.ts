import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { classStats, powerTransform, project, spaceParameters, spaceSimilarities } from '../../../../src/classifier/analysis/feature-space';
import { whitenedCosine, whitenedRow, whiteningDirections } from '../../../../src/classifier/analysis/whitening';
import { KnnClassifier } from '../../../../src/classifier/knn/knn';
import { DEFAULT_VOTE, vote } from '../../../../src/classifier/knn/vote';
import { seededRandom } from '../../../helpers/tiny-model';
import { addFromTensor, freshStoreEachTest, predictFromTensor } from '../../../helpers/knn-store';

const DIM = 24;

/** Non-negative vectors like post-ReLU activations: about half the components 0, clustered around class centres. */
function activations(seed: number, centres: number, perCentre: number): number[][][] {
  const random = seededRandom(seed);
  return Array.from({ length: centres }, () => {
    const centre = Array.from({ length: DIM }, () => (random() < 0.5 ? 0 : 3 * random()));
    return Array.from({ length: perCentre }, () => centre.map((x) => Math.max(0, x + random() - 0.5)));
  });
}

/**
 * What a recording frame votes with: the space (centre, scale, whitening) of the `earlier` examples, applied to the
 * examples `now` (the earlier ones plus rows recorded since).
 */
function earlierSpaceSimilarities(earlier: Float32Array[], now: Float32Array[], query: number[]): Float32Array[] {
  const rows = (flat: Float32Array) => Array.from({ length: flat.length / DIM }, (_, r) => powerTransform(flat.subarray(r * DIM, (r + 1) * DIM)));
  const space = spaceParameters(earlier.map((flat) => classStats(rows(flat), DIM)), DIM);
  const directions = whiteningDirections(earlier.map((flat) => rows(flat).map((row) => project(row, space))), DIM);
  const q = whitenedRow(project(powerTransform(query), space), directions, DIM);
  return now.map((flat) => Float32Array.from(rows(flat), (row) => whitenedCosine(whitenedRow(project(row, space), directions, DIM), q)));
}

function predict(classifier: KnnClassifier, query: number[], classIds: string[]) {
  return predictFromTensor(classifier, query, classIds, DEFAULT_VOTE);
}

describe("KnnClassifier with the 'soft-nearest' vote", () => {
  let classifier: KnnClassifier;
  freshStoreEachTest((fresh) => (classifier = fresh));

  const addAll = (byClass: number[][][], ids: string[]) =>
    byClass.forEach((rows, c) =>
      rows.forEach((row) => addFromTensor(classifier, ids[c], row)),
    );

  it('gives the votes of the plain-JavaScript reference (feature-space.ts), to float precision', async () => {
    const ids = ['a', 'b', 'c'];
    const data = activations(1, 3, 6);
    addAll(data, ids);
    const queries = activations(2, 3, 3).flat();
    for (const q of [...queries, data[1][2]]) {
      const ours = await predict(classifier, q, ids);
      // The space depends on every class, so the reference is given all of them.
      const full = spaceSimilarities(ids.map((id) => classifier.classVectors(id)), DIM, q);
      const expected = vote(new Map(ids.map((id, c) => [id, full[c]])), DEFAULT_VOTE);
      ours.votes.forEach((v, i) => {
        expect(v.similarity).to.be.closeTo(expected[i].similarity, 1e-4);
        expect(v.confidence).to.be.closeTo(expected[i].confidence, 1e-3);
      });
    }
    // A stored example is its own nearest neighbour: similarity 1 in any space.
    expect((await predict(classifier, data[1][2], ids)).classId).to.equal('b');
  });

  it('keeps up with examples added, cleared and replaced, and leaks nothing', async () => {
    const ids = ['a', 'b'];
    const data = activations(3, 2, 4);
    const start = tf.memory().numTensors;
    addAll(data, ids);
    const q = activations(4, 1, 1)[0][0];
    await predict(classifier, q, ids);
    const cached = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await predict(classifier, q, ids);
    expect(tf.memory().numTensors, 'repeated predicts allocate nothing lasting').to.equal(cached);
    const check = async () => {
      const full = spaceSimilarities(ids.map((id) => classifier.classVectors(id)), DIM, q);
      // A predict after examples were added votes in the earlier space; the next, with nothing added since, fits
      // again in the background (see the recording test); once that is done, votes are exact.
      await predict(classifier, q, ids);
      await predict(classifier, q, ids);
      await classifier.settled();
      const result = await predict(classifier, q, ids);
      const expected = vote(new Map(ids.map((id, c) => [id, full[c]])), DEFAULT_VOTE);
      result.votes.forEach((v, i) => expect(v.similarity).to.be.closeTo(expected[i]?.similarity ?? 0, 1e-4));
    };
    addAll([[q.map((x) => x + 0.1)]], ['b']);
    await check();
    classifier.setClassVectors('a', Float32Array.from(activations(5, 1, 3)[0].flat()), DIM);
    await check();
    classifier.clearClass('b');
    const onlyA = await predict(classifier, q, ids);
    expect(onlyA.classId).to.equal('a');
    expect(onlyA.votes[1].confidence).to.equal(0);
    classifier.dispose();
    expect(tf.memory().numTensors).to.equal(start);
    classifier = new KnnClassifier();
  });

  it('a predict pending while examples are added or a class is cleared resolves as of when it was called', async () => {
    const ids = ['a', 'b'];
    const data = activations(6, 2, 3);
    addAll(data, ids);
    const q = activations(7, 1, 1)[0][0];
    const expected = await predict(classifier, q, ids);
    const t = tf.tensor1d(q);
    const pending = classifier.predict(t.dataSync<'float32'>(), ids);
    addAll([[q]], ['a']);
    classifier.clearClass('b');
    const raced = await pending;
    t.dispose();
    expect(raced.votes).to.deep.equal(expected.votes);
    // And the next one sees the change: the exact copy of the query in a.
    expect((await predict(classifier, q, ids)).votes[0].confidence).to.equal(1);
  });

  it('while recording, votes with the new examples in the earlier space; once nothing changes, in the exact space', async () => {
    const ids = ['a', 'b'];
    const data = activations(10, 2, 4);
    addAll(data, ids);
    const q = activations(11, 1, 1)[0][0];
    await predict(classifier, q, ids);
    const earlier = ids.map((id) => classifier.classVectors(id));
    const start = tf.memory().numTensors;
    // Three recorded frames of b, a predict after each, as the app does.
    const recorded = activations(12, 1, 3)[0];
    for (const row of recorded) {
      addAll([[row]], ['b']);
      const during = await predict(classifier, q, ids);
      const expected = earlierSpaceSimilarities(earlier, ids.map((id) => classifier.classVectors(id)), q);
      const votes = vote(new Map(ids.map((id, c) => [id, expected[c]])), DEFAULT_VOTE);
      during.votes.forEach((v, i) => expect(v.similarity).to.be.closeTo(votes[i].similarity, 1e-4));
    }
    const exact = spaceSimilarities(ids.map((id) => classifier.classVectors(id)), DIM, q);
    const stale = earlierSpaceSimilarities(earlier, ids.map((id) => classifier.classVectors(id)), q);
    expect(Math.abs(exact[1][4] - stale[1][4]), 'the two spaces differ here').to.be.greaterThan(1e-3);
    // The first predict with nothing recorded since the last still answers in the earlier space, and starts a fit.
    const stopped = await predict(classifier, q, ids);
    const staleVotes = vote(new Map(ids.map((id, c) => [id, stale[c]])), DEFAULT_VOTE);
    stopped.votes.forEach((v, i) => expect(v.similarity).to.be.closeTo(staleVotes[i].similarity, 1e-4));
    await classifier.settled();
    const after = await predict(classifier, q, ids);
    const votes = vote(new Map(ids.map((id, c) => [id, exact[c]])), DEFAULT_VOTE);
    after.votes.forEach((v, i) => expect(v.similarity).to.be.closeTo(votes[i].similarity, 1e-4));
    // No tensor is left behind by the extended and refitted spaces.
    expect(tf.memory().numTensors).to.equal(start);
  });

  it('gives the same votes whether a class was recorded one example at a time or loaded at once', async () => {
    const ids = ['a', 'b'];
    const data = activations(8, 2, 5);
    const q = activations(9, 1, 1)[0][0];
    // Recorded: a predict after every example, so the prepared rows are extended, not rebuilt.
    for (let i = 0; i < 5; i++) {
      addAll([[data[0][i]], [data[1][i]]], ids);
      await predict(classifier, q, ids);
    }
    await predict(classifier, q, ids);
    await classifier.settled();
    const recorded = await predict(classifier, q, ids);
    const loaded = new KnnClassifier();
    ids.forEach((id) => loaded.setClassVectors(id, classifier.classVectors(id), DIM));
    const t = tf.tensor1d(q);
    const fresh = await loaded.predict(t.dataSync<'float32'>(), ids);
    t.dispose();
    loaded.dispose();
    // Bit for bit: rows indexed one at a time give exactly what indexing them at once does.
    expect(fresh.votes).to.deep.equal(recorded.votes);
  });
});
