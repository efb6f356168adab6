import { expect } from '@open-wc/testing';
import { serializeDataset, parseDataset } from '../../../src/dataset';
import { Teachable, type TeachableChange } from '../../../src/app/teachable';
import { UNDO_STEPS } from '../../../src/app/undo-history';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

describe('Teachable undo', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let changes: TeachableChange[];
  let frame = 0;
  const thumb = () => `data:image/jpeg;base64,${btoa(`frame ${++frame}`.padEnd(12))}`;

  beforeEach(() => {
    teachable = new Teachable();
    teachable.setEmbedder(tiny.a);
    changes = [];
    teachable.addEventListener('change', (e) => changes.push((e as CustomEvent<TeachableChange>).detail));
  });

  afterEach(() => teachable.dispose());

  const ids = () => teachable.classes.map((c) => c.id);
  const model = () => tiny.a.spec.id;
  /** Records `n` distinct reddish (first class) or bluish frames, each with a thumbnail. */
  async function recordFrames(classId: string, n: number, blue = false): Promise<void> {
    for (let i = 0; i < n; i++) {
      const shade = 150 + 9 * i;
      await teachable.processFrame(solidImage(blue ? [30, 30, shade] : [shade, 30, 30], 4 * i), classId, thumb);
    }
  }
  const rows = async (classId: string) => bits(await teachable.readExamples(model(), classId));
  const rowBits = (all: number[], row: number) => all.slice(row * 8, (row + 1) * 8);

  it('deletes chosen examples with their thumbnails, and an undo puts them back where they were, bit for bit', async () => {
    const [red] = ids();
    await recordFrames(red, 5);
    const before = await rows(red);
    const thumbsBefore = teachable.keptThumbnails(model(), red);
    changes = [];
    expect(teachable.deleteExamples(red, [3, 1, 1, 99])).to.equal(2);
    expect(teachable.exampleCount(red)).to.equal(3);
    expect(await rows(red)).to.deep.equal([0, 2, 4].flatMap((r) => rowBits(before, r)));
    expect(teachable.keptThumbnails(model(), red)).to.deep.equal([0, 2, 4].map((r) => thumbsBefore[r]));
    expect(changes).to.deep.equal([{ kind: 'examples-rewritten', modelId: model(), classId: red }]);
    const result = teachable.undo();
    expect(result).to.deep.equal({ undone: true, label: 'deleting 2 examples of "Class 1"' });
    expect(await rows(red)).to.deep.equal(before);
    expect(teachable.keptThumbnails(model(), red)).to.deep.equal(thumbsBefore);
    expect(teachable.undo()).to.deep.equal({ undone: false, reason: 'There is nothing to undo.' });
  });

  it('puts deleted examples back before those recorded since', async () => {
    const [red] = ids();
    await recordFrames(red, 3);
    const before = await rows(red);
    teachable.deleteExamples(red, [0]);
    await recordFrames(red, 1, true);
    const added = rowBits(await rows(red), 2);
    teachable.undo();
    expect(await rows(red)).to.deep.equal([...before, ...added]);
  });

  it('undoes clearing a class, and the prediction follows the examples', async () => {
    const [red, blue] = ids();
    await recordFrames(red, 3);
    await recordFrames(blue, 3, true);
    const before = await rows(red);
    teachable.clearClass(red);
    expect(teachable.exampleCount(red)).to.equal(0);
    expect((await teachable.processFrame(solidImage([160, 30, 30], 0), null)).prediction.classId).to.equal(blue);
    expect(teachable.undo()).to.deep.equal({ undone: true, label: 'clearing "Class 1" (3 examples)' });
    expect(await rows(red)).to.deep.equal(before);
    expect((await teachable.processFrame(solidImage([160, 30, 30], 0), null)).prediction.classId).to.equal(red);
  });

  it('undoes deleting a class: its place, label and the examples of every model come back', async () => {
    const [red, blue] = ids();
    await recordFrames(red, 2);
    teachable.setEmbedder(tiny.b);
    await recordFrames(red, 3);
    teachable.setEmbedder(tiny.a);
    const [a, b] = [await teachable.readExamples(tiny.a.spec.id, red), await teachable.readExamples(tiny.b.spec.id, red)];
    teachable.renameClass(red, 'Red');
    teachable.deleteClass(red);
    expect(ids()).to.deep.equal([blue]);
    changes = [];
    expect(teachable.undo().undone).to.equal(true);
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Red', 'Class 2']);
    expect(ids()).to.deep.equal([red, blue]);
    expect(bits(await teachable.readExamples(tiny.a.spec.id, red))).to.deep.equal(bits(a));
    expect(bits(await teachable.readExamples(tiny.b.spec.id, red))).to.deep.equal(bits(b));
    expect(changes.map((c) => c.kind)).to.deep.equal(['classes', 'examples-rewritten', 'examples-rewritten']);
  });

  it('undoes examples deleted from a class that was deleted after: the class first, then its examples', async () => {
    const [red] = ids();
    await recordFrames(red, 4);
    const before = await rows(red);
    teachable.deleteExamples(red, [0, 1]);
    teachable.deleteClass(red);
    expect(teachable.undo().undone).to.equal(true);
    expect(teachable.exampleCount(red)).to.equal(2);
    expect(teachable.undo().undone).to.equal(true);
    expect(await rows(red)).to.deep.equal(before);
  });

  it('undoes "clear all", but only over later edits when asked to discard them', async () => {
    const [red, blue] = ids();
    await recordFrames(red, 2);
    await recordFrames(blue, 2, true);
    const before = await rows(red);
    teachable.clearAll();
    const fresh = ids();
    expect(fresh).to.deep.equal(['class-3', 'class-4']);
    // New classes take the lowest free number, so the names are those cleared; the ids are new.
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Class 1', 'Class 2']);
    await recordFrames(fresh[0], 1);
    const refused = teachable.undo();
    expect(refused).to.deep.include({ undone: false, wouldDiscard: true });
    expect(ids(), 'nothing changed').to.deep.equal(fresh);
    expect(teachable.undo({ discardLater: true })).to.deep.equal({ undone: true, label: 'clearing everything' });
    expect(ids()).to.deep.equal([red, blue]);
    expect(await rows(red)).to.deep.equal(before);
    expect(teachable.addClass().id, 'ids are never used twice').to.equal('class-5');
  });

  it('undoes an import that replaced the classes, in one go or in steps', async () => {
    const [red] = ids();
    await recordFrames(red, 3);
    const before = await rows(red);
    const file = parseDataset(serializeDataset(await teachable.exportDataset()));
    teachable.importDataset(file, { mode: 'replace' });
    expect(teachable.undo()).to.deep.equal({ undone: true, label: 'the import that replaced your classes' });
    expect(ids()[0]).to.equal(red);
    expect(await rows(red)).to.deep.equal(before);
    await teachable.importDatasetInSteps(file, { mode: 'replace' });
    expect(ids()[0]).to.not.equal(red);
    expect(teachable.undo().undone).to.equal(true);
    expect(await rows(red)).to.deep.equal(before);
  });

  it(`keeps the last ${UNDO_STEPS} steps, holding only what they removed`, async () => {
    const [red] = ids();
    await recordFrames(red, UNDO_STEPS + 2);
    for (let i = 0; i < UNDO_STEPS + 2; i++) teachable.deleteExamples(red, [0]);
    expect(teachable.history.size).to.equal(UNDO_STEPS);
    // Each step holds one row of 8 floats and its thumbnail.
    expect(teachable.history.bytes).to.be.lessThan(UNDO_STEPS * (8 * 4 + 200));
    for (let i = 0; i < UNDO_STEPS; i++) expect(teachable.undo().undone).to.equal(true);
    expect(teachable.exampleCount(red)).to.equal(UNDO_STEPS);
    expect(teachable.undo().undone).to.equal(false);
  });

  it('says plainly that there is nothing to undo after the classes came back from storage', async () => {
    const [red] = ids();
    await recordFrames(red, 2);
    teachable.deleteExamples(red, [0]);
    teachable.restoreState(teachable.savedState(), []);
    const result = teachable.undo();
    expect(result.undone).to.equal(false);
    expect(!result.undone && result.reason).to.match(/nothing to undo: the undo history starts when the page opens/);
  });

  it('deletes the last seconds of the latest recording only while nothing else changed that class', async () => {
    const [red, blue] = ids();
    await recordFrames(red, 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await recordFrames(red, 2);
    const before = await rows(red);
    expect(teachable.deleteRecentExamples(blue, 2000), 'not the class recorded').to.equal(0);
    expect(teachable.deleteRecentExamples(red, 200)).to.equal(2);
    expect(await rows(red)).to.deep.equal(before.slice(0, 3 * 8));
    expect(teachable.deleteRecentExamples(red, 2000), 'the recording is no longer the newest change').to.equal(0);
    teachable.undo();
    expect(await rows(red)).to.deep.equal(before);
  });

  it('recalibrates "none of these" on what is left after every example of a class is deleted during a calibration', async () => {
    const [red, blue] = ids();
    teachable.addClass();
    const green = ids()[2];
    await recordFrames(red, 6);
    await recordFrames(blue, 6, true);
    for (let i = 0; i < 6; i++) await teachable.processFrame(solidImage([30, 150 + 9 * i, 30], 4 * i), green);
    teachable.unknownSensitivity = 1;
    const running = teachable.recalibrate();
    teachable.deleteExamples(green, Array.from({ length: 6 }, (_, i) => i));
    await running;
    await teachable.recalibrate();
    const threshold = (await teachable.processFrame(solidImage([160, 30, 30], 0), null)).unknownThreshold;
    // The same examples restored into a fresh app calibrate to the same threshold.
    const fresh = new Teachable();
    fresh.setEmbedder(tiny.a);
    const saved = await Promise.all([red, blue].map(async (classId) => ({ modelId: model(), dimension: 8, classId, vectors: await teachable.readExamples(model(), classId), thumbnails: [] })));
    fresh.restoreState(teachable.savedState(), saved);
    fresh.unknownSensitivity = 1;
    await fresh.recalibrate();
    expect(threshold).to.be.a('number');
    expect((await fresh.processFrame(solidImage([160, 30, 30], 0), null)).unknownThreshold).to.equal(threshold);
    fresh.dispose();
  });
});
