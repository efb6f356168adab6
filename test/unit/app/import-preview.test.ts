import { expect } from '@open-wc/testing';
import { parseDataset, serializeDataset, type Dataset } from '../../../src/dataset';
import { describeImport, Teachable } from '../../../src/app/teachable';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

describe('import preview and the skipping of examples already present', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let frame = 0;
  const thumb = () => `data:image/jpeg;base64,${btoa(`frame ${++frame}`.padEnd(12))}`;

  beforeEach(async () => {
    teachable = new Teachable();
    teachable.setEmbedder(tiny.a);
    const [red, blue] = teachable.classes.map((c) => c.id);
    for (let i = 0; i < 3; i++) await teachable.processFrame(solidImage([150 + 20 * i, 30, 30], 4 * i), red, thumb);
    for (let i = 0; i < 2; i++) await teachable.processFrame(solidImage([30, 30, 150 + 20 * i], 4 * i), blue, thumb);
  });

  afterEach(() => teachable.dispose());

  const exported = async () => parseDataset(serializeDataset(await teachable.exportDataset()));
  const counts = () => teachable.classes.map((c) => teachable.exampleCount(c.id));

  it('says what a replace will do, changing nothing', async () => {
    const mine = await exported();
    const file: Dataset = { ...mine, classes: [...mine.classes, { label: 'Green', color: null, vectors: new Float32Array(16).fill(0.5), thumbnails: [] }] };
    const preview = teachable.previewImport(file, { mode: 'replace' });
    expect(preview).to.deep.include({ before: { classes: 2, examples: 5 }, file: { classes: 3, examples: 7 }, duplicates: 0 });
    expect(describeImport(preview)).to.equal('Replace your 2 classes (5 examples) with 3 classes (7 examples).');
    expect(counts()).to.deep.equal([3, 2]);
  });

  it('importing the same file twice in "add" mode skips every example already there, and says so first', async () => {
    const file = await exported();
    const preview = teachable.previewImport(file, { mode: 'merge' });
    expect(preview).to.deep.include({ duplicates: 5, matchedClasses: 2, newClasses: 0 });
    expect(describeImport(preview)).to.equal('Add 2 classes (0 examples) to yours: 2 classes of the same name. 5 examples already here will be skipped.');
    const thumbnails = teachable.keptThumbnails(tiny.a.spec.id, teachable.classes[0].id);
    const result = teachable.importDataset(file, { mode: 'merge' });
    expect(result).to.deep.include({ examplesAdded: 0, duplicatesSkipped: 5 });
    expect(counts()).to.deep.equal([3, 2]);
    expect(teachable.keptThumbnails(tiny.a.spec.id, teachable.classes[0].id)).to.deep.equal(thumbnails);
    const inSteps = await teachable.importDatasetInSteps(file, { mode: 'merge' });
    expect(inSteps).to.deep.include({ examplesAdded: 0, duplicatesSkipped: 5 });
    expect(counts()).to.deep.equal([3, 2]);
  });

  it('adds only the new examples of a class, with their thumbnails, and classes of new names whole', async () => {
    const mine = await exported();
    const [red, blue] = mine.classes;
    const fresh = new Float32Array(8).fill(0.3);
    const file: Dataset = {
      ...mine,
      classes: [
        { ...red, vectors: Float32Array.from([...red.vectors.subarray(0, 8), ...fresh]), thumbnails: ['data:image/png;base64,OLD0', 'data:image/png;base64,NEW0'] },
        blue,
        { label: 'Green', color: null, vectors: Float32Array.from([...red.vectors.subarray(0, 8)]), thumbnails: [] },
      ],
    };
    const preview = teachable.previewImport(file, { mode: 'merge' });
    expect(describeImport(preview)).to.equal(
      'Add 3 classes (2 examples) to yours: 1 new class and 2 classes of the same name. 3 examples already here will be skipped.',
    );
    teachable.importDataset(file, { mode: 'merge' });
    expect(counts()).to.deep.equal([4, 2, 1]);
    expect(teachable.keptThumbnails(tiny.a.spec.id, teachable.classes[0].id).at(-1)).to.equal('data:image/png;base64,NEW0');
    expect(teachable.keptThumbnails(tiny.a.spec.id, teachable.classes[0].id)).to.not.include('data:image/png;base64,OLD0');
  });
});
