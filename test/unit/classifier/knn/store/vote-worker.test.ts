import { expect, waitUntil } from '@open-wc/testing';
import { useBackend } from '../../../../../src/platform/backend';
import { KnnClassifier } from '../../../../../src/classifier/knn/knn';
import { DEFAULT_VOTE } from '../../../../../src/classifier/knn/vote';
import { seededRandom } from '../../../../helpers/tiny-model';

const DIM = 72; // not a multiple of 32: rows and the index are padded
const IDS = ['a', 'b', 'c', 'd'];

/** Runs of near-duplicates, as a held button records: `runs` runs of `perRun` rows about a post-ReLU-like centre. */
function heldRows(seed: number, runs: number, perRun: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(runs * perRun * DIM);
  for (let run = 0; run < runs; run++) {
    const centre = Array.from({ length: DIM }, () => (random() < 0.5 ? 0 : 3 * random()));
    for (let r = 0; r < perRun; r++) {
      const at = (run * perRun + r) * DIM;
      for (let i = 0; i < DIM; i++) out[at + i] = Math.max(0, centre[i] * (1 + 0.01 * (random() - 0.5)));
    }
  }
  return out;
}

/** Rows with numbers the 4-byte coding keeps whole (negative, tiny): they are decoded with their exceptions. */
function awkwardRows(seed: number, rows: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: rows * DIM }, (_, i) => (i % 7 === 0 ? -random() : i % 11 === 0 ? 1e-30 : random()));
}

const queries = (seed: number, n: number): Float32Array[] => Array.from({ length: n }, (_, q) => heldRows(seed + q, 1, 1));

/** The same votes, bit for bit (chai's deep equality on small arrays of plain numbers). */
async function expectSameVotes(inWorker: KnnClassifier, onPage: KnnClassifier, seed: number): Promise<void> {
  for (const query of queries(seed, 4)) {
    const [worker, page] = [await inWorker.predict(query, IDS, DEFAULT_VOTE), await onPage.predict(query, IDS, DEFAULT_VOTE)];
    expect(worker.votes).to.deep.equal(page.votes);
  }
}

/** Which comes first: the answer of `ask()`, or a task queued right after the call (a page's thread left free). */
async function answerOrTaskFirst(ask: () => Promise<unknown>): Promise<'answer' | 'task'> {
  const order: ('answer' | 'task')[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => order.push('task');
  const answered = ask().then(() => order.push('answer'));
  channel.port2.postMessage(null);
  await answered;
  await waitUntil(() => order.length === 2);
  channel.port1.close();
  return order[0];
}

describe('KnnClassifier store: the vote in a worker', () => {
  let inWorker: KnnClassifier;
  let onPage: KnnClassifier;

  before(async function () {
    if (!crossOriginIsolated) {
      console.warn('Skipping: a shared memory needs a cross-origin isolated page.');
      this.skip();
    }
    await useBackend('wasm');
  });

  beforeEach(async () => {
    // Every query goes to the worker here, however few its rows (the default keeps small ones on the page).
    inWorker = new KnnClassifier({ workerRows: 0 });
    onPage = new KnnClassifier({ parallelScan: false });
    const data = IDS.map((_, c) => heldRows(70 + c, 20, 40)); // 800 rows a class, scanned from the index
    for (const store of [inWorker, onPage]) IDS.forEach((id, c) => store.setClassVectors(id, data[c], DIM));
    // The first query over workerRows rows starts the worker (asked of both, so they have scored as many).
    for (const store of [inWorker, onPage]) await store.predict(queries(0, 1)[0], IDS, DEFAULT_VOTE);
    await waitUntil(() => inWorker.votesInWorker && inWorker.parallelScan, 'the vote or scan worker never started', { timeout: 10000 });
    expect(onPage.votesInWorker).to.equal(false);
  });

  afterEach(() => {
    inWorker.dispose();
    onPage.dispose();
  });

  it('gives the votes of the page bit for bit as rows are recorded, replaced and cleared, and re-scores as many rows', async () => {
    await expectSameVotes(inWorker, onPage, 1);
    const both = (change: (store: KnnClassifier) => void) => [inWorker, onPage].forEach(change);
    // Recorded rows get the fit's parameters; then the space is fitted again in the background.
    const recorded = heldRows(80, 1, 30);
    both((store) => {
      for (let r = 0; r < 30; r++) store.addExample('a', recorded.subarray(r * DIM, (r + 1) * DIM));
    });
    await expectSameVotes(inWorker, onPage, 2);
    await Promise.all([inWorker.settled(), onPage.settled()]);
    await expectSameVotes(inWorker, onPage, 3);
    // A class replaced (its copy in the worker starts afresh), one cleared, one given rows with exceptions.
    const replacement = heldRows(81, 10, 50);
    const awkward = awkwardRows(82, 120);
    both((store) => {
      store.setClassVectors('b', replacement, DIM);
      store.clearClass('c');
      store.writeClasses(new Map([['d', awkward]]), DIM, 'append');
    });
    await expectSameVotes(inWorker, onPage, 4);
    expect(inWorker.rescoredRows).to.equal(onPage.rescoredRows);
    expect(inWorker.rescoredRows).to.be.greaterThan(0);
  });

  it('answers as of the call: rows replaced and added while the worker scores do not change its answer', async () => {
    const [query] = queries(5, 1);
    await inWorker.predict(query, IDS, DEFAULT_VOTE); // the worker holds copies of every class
    const before = await onPage.predict(query, IDS, DEFAULT_VOTE);
    const pending = inWorker.predict(query, IDS, DEFAULT_VOTE);
    // While the worker scores, class b's block is given back, and c's new rows would be written in it (a block of
    // the same size) were it not held.
    const replacement = heldRows(90, 20, 40);
    const other = heldRows(91, 20, 40);
    const change = (store: KnnClassifier) => {
      store.setClassVectors('b', replacement, DIM);
      store.setClassVectors('c', other, DIM);
      store.addExample('a', replacement.subarray(0, DIM));
    };
    change(inWorker);
    expect((await pending).votes).to.deep.equal(before.votes);
    change(onPage);
    expect((await inWorker.predict(query, IDS, DEFAULT_VOTE)).votes).to.deep.equal((await onPage.predict(query, IDS, DEFAULT_VOTE)).votes);
  });

  it('holds the memory of rows given back while a query is in the worker, and reuses it once answered', async () => {
    const [query] = queries(8, 1);
    await inWorker.predict(query, IDS, DEFAULT_VOTE);
    const rows = heldRows(92, 20, 40); // as many rows as class c: blocks of the same size
    const start = inWorker.memoryBytes;
    const pending = inWorker.predict(query, IDS, DEFAULT_VOTE);
    inWorker.clearClass('c');
    inWorker.setClassVectors('e', rows, DIM);
    const whilePending = inWorker.memoryBytes - start;
    await pending;
    inWorker.clearClass('e');
    inWorker.setClassVectors('f', rows, DIM);
    const afterwards = inWorker.memoryBytes - start - whilePending;
    // A block of 1,024 rows of 96 bytes takes 4 x 96 KB with its residuals: new memory while held, none after.
    expect(whilePending).to.be.greaterThan(300_000);
    expect(afterwards).to.be.lessThan(100_000);
  });

  it("leaves the page's thread free while it scores: a task queued after the call runs before the answer", async () => {
    const [query] = queries(6, 1);
    await inWorker.predict(query, IDS, DEFAULT_VOTE); // the space is fitted (in slices, between tasks) on the first
    await inWorker.settled();
    expect(await answerOrTaskFirst(() => inWorker.predict(query, IDS, DEFAULT_VOTE))).to.equal('task');
  });

  it('scores queries over fewer rows than workerRows on the page, and starts the worker with the first over them', async () => {
    const fewer = new KnnClassifier({ workerRows: 4000 });
    const data = IDS.map((_, c) => heldRows(75 + c, 20, 40)); // 3,200 rows in all
    IDS.forEach((id, c) => fewer.setClassVectors(id, data[c], DIM));
    try {
      const [query] = queries(9, 1);
      await fewer.predict(query, IDS, DEFAULT_VOTE); // the space is fitted (in slices, between tasks) on the first
      await fewer.settled();
      expect(await answerOrTaskFirst(() => fewer.predict(query, IDS, DEFAULT_VOTE))).to.equal('answer');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fewer.votesInWorker).to.equal(false);
      // 1,000 more rows: a query over every class (4,200 rows) starts the worker.
      fewer.setClassVectors('e', heldRows(79, 20, 50), DIM);
      await fewer.predict(query, [...IDS, 'e'], DEFAULT_VOTE);
      await waitUntil(() => fewer.votesInWorker, 'the vote worker never started', { timeout: 10000 });
    } finally {
      fewer.dispose();
    }
  });

  it('scans a smaller query on the page alone while a larger one is out in the worker, with the votes of the page', async () => {
    const shared = new KnnClassifier({ workerRows: 3000 }); // every class (3,200 rows) in the worker, three on the page
    const data = IDS.map((_, c) => heldRows(70 + c, 20, 40));
    IDS.forEach((id, c) => shared.setClassVectors(id, data[c], DIM));
    try {
      const three = IDS.slice(0, 3);
      for (const ids of [IDS, three]) await shared.predict(queries(0, 1)[0], ids, DEFAULT_VOTE);
      await waitUntil(() => shared.votesInWorker && shared.parallelScan, 'the vote or scan worker never started', { timeout: 10000 });
      for (const query of queries(11, 6)) {
        const [large, small] = await Promise.all([shared.predict(query, IDS, DEFAULT_VOTE), shared.predict(query, three, DEFAULT_VOTE)]);
        expect(large.votes).to.deep.equal((await onPage.predict(query, IDS, DEFAULT_VOTE)).votes);
        expect(small.votes).to.deep.equal((await onPage.predict(query, three, DEFAULT_VOTE)).votes);
      }
    } finally {
      shared.dispose();
    }
  });

  it('answers from the page when the worker ends without a word, and scores on the page from then on', async function () {
    this.timeout(20_000);
    const [query] = queries(10, 1);
    const expected = await onPage.predict(query, IDS, DEFAULT_VOTE);
    // As a browser ending a worker would: no error event, no answer. (The test reaches into the store for it.)
    (inWorker as unknown as { memory: { remote: { worker: Worker } } }).memory.remote.worker.terminate();
    const answer = await inWorker.predict(query, IDS, DEFAULT_VOTE);
    expect(answer.votes).to.deep.equal(expected.votes);
    expect(inWorker.votesInWorker).to.equal(false);
    expect((await inWorker.predict(query, IDS, DEFAULT_VOTE)).votes).to.deep.equal(expected.votes);
  });

  it('answers a query pending when the store is let go with no class, without throwing', async () => {
    const [query] = queries(7, 1);
    const pending = inWorker.predict(query, IDS, DEFAULT_VOTE);
    inWorker.dispose();
    expect((await pending).classId).to.equal(null);
  });
});
