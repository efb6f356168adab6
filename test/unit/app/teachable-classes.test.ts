import { expect } from '@open-wc/testing';
import { DuplicateLabelError, Teachable } from '../../../src/app/teachable';
import { trainingDataFor } from '../../../src/app/head-trainer';
import { barValues } from '../../../src/pipeline/prediction-stream';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

/** Classes turned off, moved, and names that are taken. */
describe('Teachable classes: off, order, unique names', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;

  beforeEach(() => {
    teachable = new Teachable(3);
    teachable.setEmbedder(tiny.a);
  });

  afterEach(() => teachable.dispose());

  const ids = () => teachable.classes.map((c) => c.id);

  async function recordColours(): Promise<void> {
    const [red, green, blue] = ids();
    for (let i = 0; i < 6; i++) {
      await teachable.processFrame(solidImage([200 + 8 * i, 30, 30], 4 * i), red);
      await teachable.processFrame(solidImage([30, 200 + 8 * i, 30], 4 * i), green);
      await teachable.processFrame(solidImage([30, 30, 200 + 8 * i], 4 * i), blue);
    }
  }

  it('a class turned off keeps its examples but is left out of the vote, and comes back when turned on', async () => {
    await recordColours();
    const [red, green, blue] = ids();
    const greenFrame = solidImage([35, 225, 30], 10);
    expect((await teachable.processFrame(greenFrame, null)).prediction.classId).to.equal(green);
    teachable.setClassEnabled(green, false);
    expect(teachable.exampleCount(green)).to.equal(6);
    expect(teachable.classes.find((c) => c.id === green)!.disabled).to.equal(true);
    expect(teachable.enabledClasses.map((c) => c.id)).to.deep.equal([red, blue]);
    const off = (await teachable.processFrame(greenFrame, null)).prediction;
    expect(off.votes.map((v) => v.classId)).to.deep.equal([red, blue]);
    expect(off.classId).to.not.equal(green);
    teachable.setClassEnabled(green, true);
    expect('disabled' in teachable.classes.find((c) => c.id === green)!).to.equal(false);
    expect((await teachable.processFrame(greenFrame, null)).prediction.classId).to.equal(green);
  });

  it('a class turned off is left out of the dense head\'s and the evaluation\'s data, and of the calibration', async () => {
    await recordColours();
    const [red, green, blue] = ids();
    teachable.setClassEnabled(red, false);
    const data = await trainingDataFor(teachable, tiny.a.spec.id);
    expect(data.classIds).to.deep.equal([green, blue]);
    teachable.unknownSensitivity = 1;
    await teachable.recalibrate();
    // Red is far from green and blue: with red off, a red frame is "none of these".
    const redFrame = await teachable.processFrame(solidImage([230, 35, 25], 10), null);
    expect(redFrame.prediction.votes.map((v) => v.classId)).to.deep.equal([green, blue]);
    expect(redFrame.unknown).to.equal(true);
  });

  it('turning a class off is saved, and restored', () => {
    const [, second] = ids();
    teachable.setClassEnabled(second, false);
    const state = teachable.savedState();
    expect(JSON.parse(JSON.stringify(state.classes))[1].disabled).to.equal(true);
    const restored = new Teachable(0);
    restored.restoreState(state, []);
    expect(restored.enabledClasses.map((c) => c.id)).to.deep.equal([ids()[0], ids()[2]]);
    expect(() => restored.restoreState({ ...state, classes: [{ ...state.classes[0], disabled: 'yes' as never }] }, [])).to.throw(RangeError, /disabled/);
    restored.dispose();
  });

  it('the bars of a class turned off say so and read 0', () => {
    const [first, second] = ids();
    teachable.setClassEnabled(second, false);
    const detail = {
      classId: first,
      label: 'Class 1',
      confidences: [
        { classId: first, label: 'Class 1', confidence: 0.4, raw: 0.4 },
        { classId: second, label: 'Class 2', confidence: 0.6, raw: 0.6 },
      ],
    };
    const bars = barValues(detail as never, teachable.classes, false);
    expect(bars.map((b) => [b.classId, b.confidence, b.off ?? false])).to.deep.equal([
      [first, 0.4, false],
      [second, 0, true],
      [ids()[2], 0, false],
    ]);
  });

  it('refuses a name another class has, ignoring case, and changes nothing', () => {
    const [first, second] = ids();
    teachable.renameClass(first, 'Palm');
    let changes = 0;
    teachable.addEventListener('change', () => changes++);
    expect(() => teachable.renameClass(second, ' palm ')).to.throw(DuplicateLabelError, 'There is already a class called "palm": pick another name.');
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Palm', 'Class 2', 'Class 3']);
    expect(changes).to.equal(0);
    // A class may take its own name in other letter case.
    expect(teachable.renameClass(first, 'PALM')).to.equal('PALM');
  });

  it('moves a class, its examples and its place in the vote with it', async () => {
    await recordColours();
    const [red, green, blue] = ids();
    teachable.moveClass(blue, 0);
    expect(ids()).to.deep.equal([blue, red, green]);
    const prediction = (await teachable.processFrame(solidImage([30, 30, 230], 10), null)).prediction;
    expect(prediction.votes.map((v) => v.classId)).to.deep.equal([blue, red, green]);
    expect(prediction.classId).to.equal(blue);
    expect(teachable.savedState().classes.map((c) => c.id)).to.deep.equal([blue, red, green]);
  });
});
