/**
 * The k-NN store without WebAssembly SIMD (Safari before 16.4), forced in a browser that has it
 * (src/platform/capabilities.ts): it runs kernels-scalar.wat, the same arithmetic in the same order as kernels.wat,
 * so every vote, read-back and memory figure is bit for bit the SIMD store's, with and without a shared memory.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { capabilities, withoutFeatures } from '../../../../../src/platform/capabilities';
import { KnnClassifier } from '../../../../../src/classifier/knn/knn';
import { DEFAULT_VOTE, type VoteOptions } from '../../../../../src/classifier/knn/vote';
import { seededRandom } from '../../../../helpers/tiny-model';

const DIM = 200;
const ids = ['a', 'b', 'c', 'd'];

/** Post-ReLU-like rows (half their numbers 0), in runs of near-copies as a held button records them. */
function heldRows(seed: number, count: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(count * DIM);
  let base = new Float32Array(DIM);
  for (let r = 0; r < count; r++) {
    if (r % 50 === 0) base = Float32Array.from({ length: DIM }, () => (random() < 0.5 ? 0 : random()));
    for (let i = 0; i < DIM; i++) out[r * DIM + i] = Math.max(0, base[i] + 0.02 * (random() - 0.5));
  }
  return out;
}

function storeOf(data: readonly Float32Array[], shared: boolean): KnnClassifier {
  const store = new KnnClassifier({ parallelScan: shared });
  ids.forEach((id, c) => store.setClassVectors(id, data[c], DIM));
  return store;
}

/** The same stores, made with and without SIMD (the kernels are picked when the first example is stored). */
function twoStores(data: readonly Float32Array[], shared: boolean): { simd: KnnClassifier; plain: KnnClassifier } {
  const restore = withoutFeatures('wasmSimd');
  let plain: KnnClassifier;
  try {
    plain = storeOf(data, shared);
  } finally {
    restore();
  }
  return { simd: storeOf(data, shared), plain };
}

const VOTES: [string, VoteOptions][] = [
  ['the default vote', DEFAULT_VOTE],
  ["'mean-of-k'", { ...DEFAULT_VOTE, method: 'mean-of-k', k: 3 }],
];

describe('the k-NN store without WebAssembly SIMD', () => {
  it('this browser has SIMD; withoutFeatures switches it off and back', () => {
    expect(capabilities().wasmSimd).to.equal(true);
    const restore = withoutFeatures('wasmSimd');
    expect(capabilities().wasmSimd).to.equal(false);
    restore();
    expect(capabilities().wasmSimd).to.equal(true);
  });

  for (const shared of [false, true]) {
    it(`gives the SIMD store's votes bit for bit, ${shared ? 'scanned on two threads in shared memory' : 'in memory of its own'}`, async () => {
      // 600 rows a class: scanned from the 8-bit index, with near-duplicates to re-score exactly; 2,400 in all, enough
      // for the two-thread scan to split them.
      const data = ids.map((_, c) => heldRows(10 + c, 600));
      const { simd, plain } = twoStores(data, shared);
      try {
        expect(simd.simdKernels).to.equal(true);
        expect(plain.simdKernels).to.equal(false);
        if (shared) {
          await waitUntil(() => simd.parallelScan && plain.parallelScan, 'the scan workers never started', { timeout: 10000 });
        }
        const asked = heldRows(90, 3);
        let differentWinners = 0;
        for (const [name, options] of VOTES) {
          for (let q = 0; q < 6; q++) {
            const query = q < 3 ? asked.slice(q * DIM, (q + 1) * DIM) : data[q - 3].slice(123 * DIM, 124 * DIM);
            const [fast, slow] = [await simd.predict(query, ids, options), await plain.predict(query, ids, options)];
            expect(slow.votes, `${name}, query ${q}`).to.deep.equal(fast.votes);
            if (fast.classId !== 'a') differentWinners++;
          }
        }
        // The queries are not all answered alike, so equal votes say something.
        expect(differentWinners).to.be.greaterThan(0);
        expect(plain.rescoredRows).to.equal(simd.rescoredRows);
        expect(plain.rescoredRows).to.be.greaterThan(0);
        expect(Array.from(plain.classVectors('c'))).to.deep.equal(Array.from(simd.classVectors('c')));
        expect(plain.memoryBytes).to.equal(simd.memoryBytes);
      } finally {
        simd.dispose();
        plain.dispose();
      }
    });
  }

  it('keeps its plain kernels as examples are added and the space is fitted again', async () => {
    const data = ids.map((_, c) => heldRows(30 + c, 200));
    const { simd, plain } = twoStores(data, false);
    try {
      const extra = heldRows(77, 20);
      for (let r = 0; r < 20; r++) {
        const row = extra.slice(r * DIM, (r + 1) * DIM);
        simd.addExample('b', row);
        plain.addExample('b', row);
        const query = data[r % 4].slice(r * DIM, (r + 1) * DIM);
        expect((await plain.predict(query, ids)).votes).to.deep.equal((await simd.predict(query, ids)).votes);
      }
      await Promise.all([simd.settled(), plain.settled()]);
      const query = extra.slice(0, DIM);
      expect((await plain.predict(query, ids)).votes).to.deep.equal((await simd.predict(query, ids)).votes);
      expect(plain.simdKernels).to.equal(false);
    } finally {
      simd.dispose();
      plain.dispose();
    }
  });
});
