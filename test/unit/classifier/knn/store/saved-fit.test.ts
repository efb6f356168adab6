import { expect } from '@open-wc/testing';
import { useBackend } from '../../../../../src/platform/backend';
import { EXACT_CLASS_ROWS, KnnClassifier } from '../../../../../src/classifier/knn/knn';
import { RestoredChecksums, SAVED_FIT_VERSION, savedFitCounts, type SavedFit } from '../../../../../src/classifier/knn/saved-fit';
import { rowsChecksum } from '../../../../../src/classifier/knn/store/rows-checksum';
import { seededRandom } from '../../../../helpers/tiny-model';

const DIM = 72; // not a multiple of 32: rows and directions are padded in the arena
const ids = ['a', 'b', 'c'];

/** Unit post-ReLU-like rows around one centre per class, more than EXACT_CLASS_ROWS a class (so the 8-bit scan is used). */
function classRows(seed: number, n: number): Float32Array[] {
  const random = seededRandom(seed);
  return ids.map(() => {
    const centre = Array.from({ length: DIM }, () => (random() < 0.5 ? 0 : 3 * random()));
    const rows = Float32Array.from({ length: n * DIM }, (_, i) => Math.max(0, centre[i % DIM] + 1.5 * (random() - 0.5)));
    for (let r = 0; r < n; r++) {
      const row = rows.subarray(r * DIM, (r + 1) * DIM);
      const norm = Math.hypot(...row);
      for (let i = 0; i < DIM; i++) row[i] /= norm;
    }
    return rows;
  });
}

function storeOf(data: readonly Float32Array[], onFitted?: () => void): KnnClassifier {
  const store = new KnnClassifier(onFitted ? { onFitted } : {});
  ids.forEach((id, c) => store.setClassVectors(id, data[c], DIM));
  return store;
}

const checksumsOf = (data: readonly Float32Array[]) => new Map(ids.map((id, c) => [id, rowsChecksum(data[c])]));

/** Every class's similarities and confidence for each query, as text (so equal means bit for bit). */
async function answers(store: KnnClassifier, queries: readonly Float32Array[]): Promise<string> {
  const out = [];
  for (const q of queries) out.push(await store.predict(q, ids));
  return JSON.stringify(out);
}

/** A deep copy that a test may damage. */
function copyOf(fit: SavedFit): SavedFit {
  return { ...fit, centre: fit.centre.slice(), scale: fit.scale.slice(), directions: fit.directions.slice(), rowFactors: fit.rowFactors.map((f) => f.slice()), counts: [...fit.counts], checksums: [...fit.checksums], classIds: [...fit.classIds], constants: [...fit.constants] };
}

describe('KnnClassifier: a fitted space saved and put back', () => {
  const perClass = 2 * EXACT_CLASS_ROWS + 5;
  let data: Float32Array[];
  let queries: Float32Array[];
  let fitted: KnnClassifier;
  let saved: SavedFit;
  const made: KnnClassifier[] = [];
  const make = (rows: readonly Float32Array[]) => {
    const store = storeOf(rows);
    made.push(store);
    return store;
  };

  before(async () => {
    await useBackend('wasm');
    data = classRows(7, perClass);
    queries = classRows(8, 2).flatMap((rows) => [rows.slice(0, DIM), rows.slice(DIM)]);
    fitted = storeOf(data);
    await fitted.prepare(ids);
    saved = fitted.savedFit()!;
  });

  afterEach(() => made.splice(0).forEach((s) => s.dispose()));
  after(() => fitted.dispose());

  it('is what was fitted, and a store given it back votes bit for bit as the one that fitted, without fitting', async () => {
    expect(saved.classIds).to.deep.equal(ids);
    expect(saved.counts).to.deep.equal([perClass, perClass, perClass]);
    expect(saved.checksums).to.deep.equal(ids.map((_, c) => rowsChecksum(data[c])));
    expect(saved.m).to.be.greaterThan(0);
    const restored = make(data);
    expect(restored.useSavedFit(structuredClone(saved), checksumsOf(data))).to.equal(true);
    const expected = await answers(fitted, queries);
    expect(await answers(restored, queries)).to.equal(expected);
    expect(restored.fitsRun).to.equal(0);
    expect(restored.savedFit()!.checksum).to.equal(saved.checksum);
  });

  it('is refused for rows other than those it was fitted over, which are then fitted as usual', async () => {
    const changedRow = data.map((rows) => rows.slice());
    changedRow[1][5 * DIM + 3] = Math.fround(changedRow[1][5 * DIM + 3] * 1.0001);
    const oneMore = data.map((rows, c) => (c === 2 ? Float32Array.of(...rows, ...rows.subarray(0, DIM)) : rows));
    const cases: [string, Float32Array[], Map<string, number>][] = [
      ['a number changed', changedRow, checksumsOf(changedRow)],
      ['a row more', oneMore, checksumsOf(oneMore)],
      ['checksums of other rows', data, checksumsOf(changedRow)],
    ];
    for (const [why, rows, checksums] of cases) {
      const store = make(rows);
      expect(store.useSavedFit(saved, checksums), why).to.equal(false);
      const fresh = make(rows);
      expect(await answers(store, queries), why).to.equal(await answers(fresh, queries));
      expect(store.fitsRun, why).to.equal(1);
    }
    const twoClasses = new KnnClassifier();
    made.push(twoClasses);
    twoClasses.setClassVectors('a', data[0], DIM);
    twoClasses.setClassVectors('c', data[2], DIM);
    expect(twoClasses.useSavedFit(saved, checksumsOf(data)), 'a class missing').to.equal(false);
  });

  it('is used for the rows it was fitted over when more were recorded after them, and the space is fitted again in the background', async () => {
    // Two rows more in class b, added as a restore stores rows: in pieces (of 7 rows here, so the fit's count falls inside one).
    const more = data.map((rows, c) => (c === 1 ? Float32Array.of(...rows, ...data[0].subarray(0, 2 * DIM)) : rows));
    const checksums = new RestoredChecksums(savedFitCounts(saved));
    more.forEach((rows, c) => {
      for (let start = 0; start < rows.length; start += 7 * DIM) checksums.add(ids[c], rows.subarray(start, start + 7 * DIM), DIM);
    });
    const store = make(more);
    expect(store.useSavedFit(saved, checksums.values)).to.equal(true);
    expect(store.savedFit(), 'not a fit of these rows').to.equal(null);
    await store.predict(queries[0], ids);
    expect(store.fitsRun, 'the first vote waits for no fit').to.equal(0);
    await store.predict(queries[0], ids);
    await store.settled();
    expect(store.fitsRun).to.equal(1);
    expect(await answers(store, queries)).to.equal(await answers(make(more), queries));
    expect(store.savedFit()!.counts).to.deep.equal([perClass, perClass + 2, perClass]);
    // Rows other than the fitted ones before the new rows: refused.
    const changed = more.map((rows) => rows.slice());
    changed[1][3] = Math.fround(changed[1][3] * 1.001);
    const sums = new RestoredChecksums(savedFitCounts(saved));
    changed.forEach((rows, c) => sums.add(ids[c], rows, DIM));
    expect(make(changed).useSavedFit(saved, sums.values)).to.equal(false);
    // Fewer rows than fitted: refused.
    const fewer = data.map((rows, c) => (c === 2 ? rows.subarray(DIM) : rows));
    const few = new RestoredChecksums(savedFitCounts(saved));
    fewer.forEach((rows, c) => few.add(ids[c], rows, DIM));
    expect(make(fewer).useSavedFit(saved, few.values)).to.equal(false);
  });

  it('is refused when damaged, of another version or of other constants', () => {
    const damage: [string, (fit: SavedFit) => unknown][] = [
      ['not an object', () => 'fit'],
      ['a direction changed', (f) => ((f.directions[DIM + 1] += 1e-6), f)],
      ['a row factor changed', (f) => ((f.rowFactors[0][3] *= 1.5), f)],
      ['the centre changed', (f) => ((f.centre[2] += 1e-9), f)],
      ['a NaN', (f) => ((f.scale[0] = NaN), f)],
      ['factors cut short', (f) => ({ ...f, rowFactors: f.rowFactors.map((r) => r.subarray(1)) })],
      ['directions cut short', (f) => ({ ...f, directions: f.directions.subarray(DIM) })],
      ['a count changed', (f) => ({ ...f, counts: [perClass + 1, perClass, perClass] })],
      ['the class order changed', (f) => ({ ...f, classIds: ['b', 'a', 'c'] })],
      ['another version', (f) => ({ ...f, version: SAVED_FIT_VERSION + 1 })],
      ['other constants', (f) => ({ ...f, constants: f.constants.map((c, i) => (i === 0 ? c + 0.25 : c)) })],
      ['another dimension', (f) => ({ ...f, dimension: DIM + 1 })],
      ['vectors as plain arrays', (f) => ({ ...f, directions: Array.from(f.directions) })],
    ];
    for (const [why, change] of damage) {
      const store = make(data);
      expect(store.useSavedFit(change(copyOf(saved)), checksumsOf(data)), why).to.equal(false);
    }
    expect(make(data).useSavedFit(copyOf(saved), checksumsOf(data)), 'the undamaged copy').to.equal(true);
  });

  it('is only offered for a fit of the rows as they are, and announced when one is done', async () => {
    let announced = 0;
    const store = storeOf(data, () => announced++);
    made.push(store);
    expect(store.savedFit(), 'before any fit').to.equal(null);
    await store.predict(queries[0], ids);
    expect(announced).to.equal(1);
    expect(store.savedFit()!.checksum).to.equal(saved.checksum);
    // A recorded row borrows the fit's parameters: that fit is no longer the rows'.
    store.addExample('a', data[1].slice(0, DIM));
    await store.predict(queries[0], ids);
    expect(store.savedFit(), 'while recording').to.equal(null);
    // The next predict with nothing added refits in the background.
    await store.predict(queries[0], ids);
    await store.settled();
    expect(announced).to.equal(2);
    expect(store.savedFit()!.counts).to.deep.equal([perClass + 1, perClass, perClass]);
  });
});
