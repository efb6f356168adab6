import { expect } from '@open-wc/testing';
import { DEFAULT_UNKNOWN_SENSITIVITY } from '../../../src/classifier/knn/unknown';
import { DatasetError, parseDataset, parseDatasetBytes, serializeDataset, type Dataset } from '../../../src/dataset';
import type { ModelId } from '../../../src/models/catalog';
import type { ClassOutput } from '../../../src/outputs/class-output';
import { Teachable, THUMBNAILS_KEPT, THUMBNAILS_SHOWN, type ImportOptions, type TeachableChange } from '../../../src/app/teachable';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';
import { inFirefox } from '../../helpers/browser';

const FIXTURES = '/test/fixtures/datasets';
const RED = solidImage([220, 30, 30], 20);
const BLUE = solidImage([30, 30, 220], 20);
const GREEN = solidImage([30, 220, 30], 20);

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

/** Everything a user could lose: classes (ids, labels, colours, order), settings, and every model's examples and thumbnails. */
async function snapshot(teachable: Teachable) {
  const models = teachable.modelsWithExamples();
  const examples = await Promise.all(
    models.flatMap(({ modelId }) =>
      teachable.classes.map(async (c) => ({
        modelId,
        classId: c.id,
        bits: bits(await teachable.readExamples(modelId, c.id)),
        thumbnails: teachable.keptThumbnails(modelId, c.id),
      })),
    ),
  );
  return { state: teachable.savedState(), models, examples };
}

async function fixtureBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(`${FIXTURES}/${path}`)).arrayBuffer());
}

describe('Teachable datasets', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let changes: TeachableChange[];

  beforeEach(async () => {
    teachable = new Teachable();
    teachable.setEmbedder(tiny.a);
    const [first, second] = teachable.classes.map((c) => c.id);
    let n = 0;
    const thumb = () => `data:image/jpeg;base64,${btoa(`frame ${++n}`.padEnd(9))}`;
    for (const image of [RED, RED, solidImage([200, 40, 40], 10)]) await teachable.processFrame(image, first, thumb);
    for (const image of [BLUE, solidImage([40, 40, 200], 10)]) await teachable.processFrame(image, second, thumb);
    teachable.renameClass(first, 'Red');
    teachable.renameClass(second, '<i>Blue</i>');
    changes = [];
    teachable.addEventListener('change', (e) => changes.push((e as CustomEvent<TeachableChange>).detail));
  });

  afterEach(() => teachable.dispose());

  const roundTrip = async (source: Teachable) => parseDataset(serializeDataset(await source.exportDataset()));

  it('exports the current model: labels, colours, order, unit vectors and kept thumbnails', async () => {
    const exported = await teachable.exportDataset();
    expect(exported.model).to.equal(tiny.a.spec.id);
    expect(exported.dimension).to.equal(8);
    expect(exported.classes.map((c) => c.label)).to.deep.equal(['Red', '<i>Blue</i>']);
    expect(exported.classes.map((c) => c.color)).to.deep.equal(teachable.classes.map((c) => c.color));
    expect(exported.classes.map((c) => c.vectors.length / 8)).to.deep.equal([3, 2]);
    expect(exported.classes.map((c) => c.thumbnails.length)).to.deep.equal([3, 2]);
    const row = exported.classes[0].vectors.subarray(0, 8);
    expect(Math.hypot(...row)).to.be.closeTo(1, 1e-6);
    expect((await teachable.exportDataset({ thumbnails: false })).classes[0].thumbnails).to.deep.equal([]);
  });

  it('round-trips through a file into a fresh Teachable bit for bit, and predicts the same', async () => {
    const before = await snapshot(teachable);
    const parsed = await roundTrip(teachable);
    const fresh = new Teachable(0);
    fresh.setEmbedder(tiny.a);
    const result = fresh.importDataset(parsed, { mode: 'replace' });
    expect(result).to.deep.equal({ modelId: tiny.a.spec.id, classesAdded: 2, classesMerged: 0, examplesAdded: 5, duplicatesSkipped: 0 });
    const after = await snapshot(fresh);
    expect(after.state.classes.map((c) => [c.label, c.color])).to.deep.equal(before.state.classes.map((c) => [c.label, c.color]));
    expect(after.examples.map((e) => [e.bits, e.thumbnails])).to.deep.equal(before.examples.map((e) => [e.bits, e.thumbnails]));
    // And again: export of the import is the same file.
    expect(serializeDataset(await fresh.exportDataset())).to.equal(serializeDataset(await teachable.exportDataset()));
    // The recorded Teachable refits its space once its recording is over (the first frame after it starts that).
    await teachable.processFrame(GREEN, null);
    await teachable.settled();
    const a = await teachable.processFrame(GREEN, null);
    const b = await fresh.processFrame(GREEN, null);
    expect(b.prediction.votes.map((v) => v.similarity)).to.deep.equal(a.prediction.votes.map((v) => v.similarity));
    fresh.dispose();
  });

  it('replace: the file becomes the class list; other models’ examples go with the old classes', async () => {
    teachable.setEmbedder(tiny.b);
    await teachable.processFrame(RED, teachable.classes[0].id);
    teachable.setEmbedder(tiny.a);
    const parsed = parseDataset(new TextDecoder().decode(await fixtureBytes('valid/ml5-text-labels-object-tensors.json')));
    const result = teachable.importDataset(parsed, { mode: 'replace' });
    expect(result.modelId).to.equal(tiny.a.spec.id);
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Rock', 'Paper', 'Scissors']);
    expect(teachable.classes.map((c) => teachable.exampleCount(c.id))).to.deep.equal([3, 2, 1]);
    expect(teachable.examplesWithOtherModels()).to.equal(0);
    expect(new Set(teachable.classes.map((c) => c.id)).size).to.equal(3);
    expect(teachable.classes.every((c) => /^#[0-9a-f]{6}$/.test(c.color))).to.equal(true);
    expect(changes.at(-1)).to.deep.equal({ kind: 'everything' });
  });

  it('merge: a matching label gets the examples and thumbnails, new labels are added after, ids are fresh', async () => {
    const [red, blue] = teachable.classes;
    const file: Dataset = {
      model: null,
      dimension: 8,
      classes: [
        { label: 'Green', color: '#123456', vectors: new Float32Array(16).fill(0.25), thumbnails: ['data:image/png;base64,AAAA'] },
        { label: 'Red', color: '#654321', vectors: new Float32Array(8).fill(1), thumbnails: ['data:image/png;base64,BBBB'] },
      ],
    };
    const result = teachable.importDataset(file, { mode: 'merge' });
    expect(result).to.deep.equal({ modelId: tiny.a.spec.id, classesAdded: 1, classesMerged: 1, examplesAdded: 3, duplicatesSkipped: 0 });
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Red', '<i>Blue</i>', 'Green']);
    expect(teachable.classes[0]).to.deep.equal(red, 'the existing class keeps its id, label and colour');
    expect(teachable.classes[2].color).to.equal('#123456');
    expect(teachable.classes[2].id).to.not.be.oneOf([red.id, blue.id]);
    expect(teachable.exampleCount(red.id)).to.equal(4);
    expect(teachable.exampleCount(teachable.classes[2].id)).to.equal(2);
    expect(teachable.keptThumbnails(tiny.a.spec.id, red.id).at(-1)).to.equal('data:image/png;base64,BBBB');
    const merged = await teachable.readExamples(tiny.a.spec.id, red.id, 3);
    expect(Array.from(merged)).to.deep.equal(new Array(8).fill(Math.fround(1 / Math.sqrt(8))), 'stored as a unit vector');
  });

  it('sends a file’s vectors to the model it names, even while another model is loaded', async () => {
    const parsed = await roundTrip(teachable);
    const other = new Teachable(0);
    other.setEmbedder(tiny.a);
    other.setEmbedder(tiny.b); // A is known, B is loaded
    const result = other.importDataset(parsed, { mode: 'replace' });
    expect(result.modelId).to.equal(tiny.a.spec.id);
    expect(other.exampleCount(other.classes[0].id)).to.equal(0);
    expect(other.examplesWithOtherModels()).to.equal(5);
    other.dispose();
  });

  describe('failed imports change nothing', () => {
    async function expectRefused(run: () => unknown, problem: RegExp, where: string | null = null) {
      const before = await snapshot(teachable);
      const changesBefore = changes.length;
      let error: unknown = null;
      try {
        await run();
      } catch (e) {
        error = e;
      }
      expect(error, 'refused').to.be.instanceOf(DatasetError);
      expect((error as DatasetError).problem).to.match(problem);
      // SpiderMonkey places every JSON error (line 1, column 1 for a file that is not JSON at all); V8 places some.
      const placed = inFirefox && where === null && /not valid JSON/.test(problem.source) ? (error as DatasetError).where : where;
      if (placed !== where) expect(placed).to.match(/^line \d+, column \d+$/);
      expect((error as DatasetError).where).to.equal(placed);
      expect(await snapshot(teachable)).to.deep.equal(before);
      expect(changes.length, 'no change event').to.equal(changesBefore);
      if (!teachable.embedder) return;
      const prediction = await teachable.processFrame(RED, null);
      expect(prediction.prediction.classId).to.equal(teachable.classes[0].id);
    }

    it('for every hostile file, in either mode', async () => {
      const expected = JSON.parse(new TextDecoder().decode(await fixtureBytes('hostile/expected.json'))) as Record<string, { message: string; where: string | null }>;
      for (const [name, { message, where }] of Object.entries(expected)) {
        const bytes = await fixtureBytes(`hostile/${name}`);
        for (const mode of ['replace', 'merge'] as const) {
          await expectRefused(() => teachable.importDataset(parseDatasetBytes(bytes), { mode }), new RegExp(message), where);
        }
      }
    });

    it('when the dimension does not fit the model, naming both', async () => {
      const map = JSON.stringify({ Rock: [Array(256).fill(0.1)] });
      for (const mode of ['replace', 'merge'] as const) {
        await expectRefused(
          () => teachable.importDataset(parseDataset(map), { mode }),
          /the file's vectors have 256 numbers each, but Tiny test net \d+ makes 8/,
          '"dimension"',
        );
      }
      const named = JSON.parse(serializeDataset({ model: 'mobilenet-v2-0.35', dimension: 1280, classes: [] }));
      expect(teachable.importDataset(parseDataset(JSON.stringify(named)), { mode: 'merge' }).classesAdded).to.equal(0);
    });

    it('when the file names a model the app does not know, or names none and none is loaded', async () => {
      const unknown = serializeDataset({ model: 'efficientnet-b0', dimension: 8, classes: [{ label: 'x', color: null, vectors: new Float32Array(8), thumbnails: [] }] });
      await expectRefused(() => teachable.importDataset(parseDataset(unknown), { mode: 'replace' }), /"efficientnet-b0", a model this app does not know/, '"model"');
      const anonymous = parseDataset(JSON.stringify({ a: [Array(8).fill(1)] }));
      teachable.setEmbedder(null);
      changes = [];
      await expectRefused(() => teachable.importDataset(anonymous, { mode: 'merge' }), /does not say which model .* no model is loaded/);
      const options: ImportOptions = { mode: 'merge', modelId: tiny.a.spec.id as ModelId };
      expect(teachable.importDataset(anonymous, options).modelId).to.equal(tiny.a.spec.id);
    });

    it('when a merge would pass the class limit', async () => {
      const many: Dataset = {
        model: null,
        dimension: 8,
        classes: Array.from({ length: 99 }, (_, i) => ({ label: `c${i}`, color: null, vectors: new Float32Array(0), thumbnails: [] })),
      };
      await expectRefused(() => teachable.importDataset(many, { mode: 'merge' }), /merging would make 101 classes \(2 now and 99 new\); the limit is 100/);
      expect(teachable.importDataset(many, { mode: 'replace' }).classesAdded).to.equal(99);
    });
  });

  describe('state for autosave', () => {
    it('gives every class a colour, and recolours, moves and sets k with a change event each', () => {
      const [red, blue] = teachable.classes;
      expect(red.color).to.not.equal(blue.color);
      teachable.setClassColor(red.id, '#ABCDEF');
      expect(teachable.classes[0].color).to.equal('#abcdef');
      expect(() => teachable.setClassColor(red.id, 'red')).to.throw(/#1a2b3c/);
      teachable.moveClass(blue.id, 0);
      expect(teachable.classes.map((c) => c.id)).to.deep.equal([blue.id, red.id]);
      teachable.moveClass(blue.id, 99);
      expect(teachable.classes.map((c) => c.id)).to.deep.equal([red.id, blue.id]);
      teachable.voteOptions = { ...teachable.voteOptions, k: 5 };
      expect(teachable.voteOptions.k).to.equal(5);
      expect(() => (teachable.voteOptions = { k: 0, sharpness: 20 })).to.throw(RangeError);
      expect(changes.map((c) => c.kind)).to.deep.equal(['classes', 'classes', 'classes', 'settings']);
    });

    it('says what changed: examples added or cleared (per model and class), classes deleted, the model', async () => {
      const [red, blue] = teachable.classes;
      const model = tiny.a.spec.id;
      await teachable.processFrame(RED, red.id);
      await teachable.processFrame(RED, null);
      teachable.clearClass(blue.id);
      teachable.deleteClass(blue.id);
      teachable.setEmbedder(tiny.b);
      expect(changes).to.deep.equal([
        { kind: 'examples-added', modelId: model, classId: red.id },
        { kind: 'examples-cleared', modelId: model, classId: blue.id },
        { kind: 'class-deleted', classId: blue.id },
        { kind: 'model' },
      ]);
    });

    it(`keeps the newest ${THUMBNAILS_KEPT} thumbnails per class for export, and shows ${THUMBNAILS_SHOWN}`, async () => {
      const id = teachable.classes[1].id;
      const urls = Array.from({ length: THUMBNAILS_KEPT + 5 }, (_, i) => `data:image/jpeg;base64,${btoa(String(i).padStart(6, '0'))}`);
      teachable.importDataset(
        { model: null, dimension: 8, classes: [{ label: '<i>Blue</i>', color: null, vectors: new Float32Array(8).fill(1), thumbnails: urls }] },
        { mode: 'merge' },
      );
      const kept = teachable.keptThumbnails(tiny.a.spec.id, id);
      expect(kept).to.have.length(THUMBNAILS_KEPT);
      expect(kept.at(-1)).to.equal(urls.at(-1));
      expect(teachable.thumbnails(id)).to.deep.equal(urls.slice(-THUMBNAILS_SHOWN));
    });

    it('keeps class outputs and the smoothing in saved state, exports and imports; a merge keeps the existing output', async () => {
      const [red, blue] = teachable.classes;
      teachable.setClassOutput(red.id, { kind: 'speech' });
      teachable.setClassOutput(blue.id, { kind: 'tone', tone: 'low' });
      teachable.smoothing = 'high';
      expect(changes.map((c) => c.kind)).to.deep.equal(['classes', 'classes', 'settings']);
      expect(teachable.classOutput(red.id)).to.deep.equal({ kind: 'speech' });
      expect(() => (teachable.smoothing = 'extreme' as 'high')).to.throw(RangeError);

      const fresh = new Teachable(0);
      fresh.restoreState(teachable.savedState(), []);
      expect(fresh.classes.map((c) => c.output)).to.deep.equal([{ kind: 'speech' }, { kind: 'tone', tone: 'low' }]);
      expect(fresh.smoothing).to.equal('high');
      expect(() => fresh.restoreState({ ...teachable.savedState(), smoothing: 'loud' as 'high' }, [])).to.throw(RangeError, /smoothing/);
      const badOutput = { ...teachable.savedState(), classes: [{ ...red, output: { kind: 'siren' } as unknown as ClassOutput }] };
      expect(() => fresh.restoreState(badOutput, [])).to.throw(RangeError, /Bad output for class-1/);
      const extra = { ...teachable.savedState(), classes: [{ ...red, output: { kind: 'speech', script: 'x' } as unknown as ClassOutput }] };
      fresh.restoreState(extra, []);
      expect(fresh.classes[0].output).to.deep.equal({ kind: 'speech' });
      // A state saved before outputs and smoothing existed still restores.
      const old = { ...teachable.savedState(), smoothing: undefined };
      fresh.restoreState({ ...old, classes: old.classes.map(({ id, label, color }) => ({ id, label, color })) }, []);
      expect(fresh.smoothing).to.equal('low');
      expect(fresh.classOutput(fresh.classes[0].id)).to.deep.equal({ kind: 'none' });

      const file = await roundTrip(teachable);
      fresh.setEmbedder(tiny.a);
      fresh.importDataset(file, { mode: 'replace' });
      expect(fresh.classes.map((c) => c.output)).to.deep.equal([{ kind: 'speech' }, { kind: 'tone', tone: 'low' }]);
      fresh.setClassOutput(fresh.classes[0].id, { kind: 'broadcast' });
      fresh.importDataset(file, { mode: 'merge' });
      expect(fresh.classes.map((c) => c.output)).to.deep.equal([{ kind: 'broadcast' }, { kind: 'tone', tone: 'low' }]);
      fresh.dispose();
    });

    it('restores a saved state all or nothing', async () => {
      const state = teachable.savedState();
      const model = tiny.a.spec.id;
      const examples = await Promise.all(
        teachable.classes.map(async (c) => ({
          modelId: model,
          dimension: 8,
          classId: c.id,
          vectors: await teachable.readExamples(model, c.id),
          thumbnails: teachable.keptThumbnails(model, c.id),
        })),
      );
      const fresh = new Teachable(0);
      fresh.restoreState(state, examples);
      expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
      expect(fresh.addClass().id).to.equal(`class-${state.nextClassNumber}`);
      teachable.unknownSensitivity = 0.7;
      fresh.restoreState(teachable.savedState(), examples);
      expect(fresh.unknownSensitivity).to.equal(0.7);
      // Saved before "none of these" existed: the default sensitivity.
      fresh.restoreState({ ...state, settings: { k: 4, sharpness: 30 } }, examples);
      expect(fresh.unknownSensitivity).to.equal(DEFAULT_UNKNOWN_SENSITIVITY);
      expect(fresh.voteOptions).to.deep.equal({ k: 4, sharpness: 30 });
      const before = await snapshot(fresh);
      expect(() => fresh.restoreState({ ...state, settings: { ...state.settings, unknownSensitivity: 3 } }, examples)).to.throw(RangeError, /sensitivity/);
      const broken = [{ ...examples[0], vectors: new Float32Array(7) }];
      expect(() => fresh.restoreState(state, broken)).to.throw(RangeError, /not rows of 8/);
      expect(() => fresh.restoreState({ ...state, classes: [...state.classes, state.classes[0]] }, [])).to.throw(RangeError, /twice/);
      expect(() => fresh.restoreState(state, [{ ...examples[0], classId: 'class-99' }])).to.throw(RangeError);
      expect(await snapshot(fresh)).to.deep.equal(before);
      fresh.dispose();
    });
  });
});
