import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { MAX_LABEL_LENGTH, Teachable, THUMBNAILS_SHOWN } from '../../../src/app/teachable';
import { calibrateUnknown } from '../../../src/classifier/knn/unknown';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

const RED = solidImage([220, 30, 30], 20);
const BLUE = solidImage([30, 30, 220], 20);
const RED_AGAIN = solidImage([230, 40, 25], 10);
const BLUE_AGAIN = solidImage([25, 45, 230], 10);

describe('Teachable', () => {
  let teachable: Teachable;
  const tiny = tinyEmbedderPair();
  let changes: number;

  beforeEach(() => {
    teachable = new Teachable();
    changes = 0;
    teachable.addEventListener('change', () => changes++);
  });

  afterEach(() => teachable.dispose());

  const labels = () => teachable.classes.map((c) => c.label);
  const ids = () => teachable.classes.map((c) => c.id);
  const record = (pixels: ImageData, classId: string, thumbnail?: () => string) => teachable.processFrame(pixels, classId, thumbnail);
  const classify = async (pixels: ImageData) => (await teachable.processFrame(pixels, null)).prediction;

  describe('classes', () => {
    it('starts with "Class 1" and "Class 2", no model and no examples', async () => {
      expect(labels()).to.deep.equal(['Class 1', 'Class 2']);
      expect(new Set(ids()).size).to.equal(2);
      expect(teachable.embedder).to.equal(null);
      expect(teachable.exampleCount(ids()[0])).to.equal(0);
      expect(teachable.examplesWithOtherModels()).to.equal(0);
      let message = '';
      await teachable.processFrame(RED, null).catch((e: Error) => (message = e.message));
      expect(message).to.match(/no model/i);
      expect(new Teachable(4).classes).to.have.length(4);
    });

    it('adds classes named with the lowest free number, with fresh ids, never reusing a deleted one', () => {
      const third = teachable.addClass();
      expect(third.label).to.equal('Class 3');
      expect(teachable.addClass('  Thumbs   up ').label).to.equal('Thumbs up');
      expect(teachable.addClass('   ').label).to.equal('Class 4');
      teachable.deleteClass(third.id);
      const next = teachable.addClass();
      expect(next.id).to.not.equal(third.id);
      expect(new Set(ids()).size).to.equal(ids().length);
      expect(labels()).to.deep.equal(['Class 1', 'Class 2', 'Thumbs up', 'Class 4', 'Class 3']);
      expect(changes).to.equal(5);
    });

    it('renames a class, refusing a blank label', () => {
      const [first, second] = ids();
      expect(teachable.renameClass(first, 'Open hand')).to.equal('Open hand');
      expect(changes).to.equal(1);
      expect(teachable.renameClass(second, ' \t\n ')).to.equal('Class 2');
      expect(teachable.renameClass(second, '')).to.equal('Class 2');
      expect(changes, 'a refused rename changes nothing').to.equal(1);
      expect(labels()).to.deep.equal(['Open hand', 'Class 2']);
      expect(() => teachable.renameClass('class-99', 'x')).to.throw(/class-99/);
    });

    it('keeps labels on one line of plain text: control characters and line breaks go', () => {
      const [first] = ids();
      const kept = teachable.renameClass(first, 'Fist\u0000\u0007 bump\r\nnext\u0085line\u009b\u007f!');
      expect(kept).to.equal('Fist bump next line !');
      // eslint-disable-next-line no-control-regex
      expect(kept).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
      expect(labels()[0]).to.equal(kept);
    });

    it(`caps labels at ${MAX_LABEL_LENGTH} characters, without cutting a character in half or ending in a space`, () => {
      const [first, second, third] = [...ids(), teachable.addClass().id];
      expect(teachable.renameClass(first, 'x'.repeat(100))).to.equal('x'.repeat(MAX_LABEL_LENGTH));
      // An emoji is two UTF-16 units: an odd offset puts the cap in the middle of one.
      const emoji = teachable.renameClass(second, 'a' + '\u{1F44D}'.repeat(40));
      expect(emoji.length).to.be.at.most(MAX_LABEL_LENGTH);
      expect(emoji).to.not.match(/[\ud800-\udbff]$/);
      expect(emoji).to.equal('a' + '\u{1F44D}'.repeat(29));
      const spaced = teachable.renameClass(third, 'y'.repeat(MAX_LABEL_LENGTH - 1) + ' and more');
      expect(spaced).to.equal('y'.repeat(MAX_LABEL_LENGTH - 1));
    });

    it('keeps HTML as literal text (the UI renders labels as text, not markup)', () => {
      const [first] = ids();
      const html = '<img src=x onerror="alert(1)"> & <b>bold</b>';
      expect(teachable.renameClass(first, html)).to.equal(html);
      expect(teachable.addClass('<script>x</script>').label).to.equal('<script>x</script>');
    });

    it('deletes a class, and refuses to delete or clear one that does not exist', () => {
      const [first, second] = ids();
      teachable.deleteClass(first);
      expect(ids()).to.deep.equal([second]);
      expect(teachable.hasClass(first)).to.equal(false);
      expect(changes).to.equal(1);
      expect(() => teachable.deleteClass(first)).to.throw();
      expect(() => teachable.clearClass(first)).to.throw();
    });
  });

  describe('frames', () => {
    beforeEach(() => teachable.setEmbedder(tiny.a));

    it('records a frame into the class asked for and then predicts that class', async () => {
      const [first, second] = ids();
      const r = await record(RED, first);
      expect(r.recordedTo).to.equal(first);
      expect(r.prediction.classId).to.equal(first);
      await record(BLUE, second);
      await record(BLUE_AGAIN, second);
      expect(teachable.exampleCount(first)).to.equal(1);
      expect(teachable.exampleCount(second)).to.equal(2);

      const red = await classify(RED_AGAIN);
      expect(red.classId).to.equal(first);
      expect(red.votes.map((v) => v.classId)).to.deep.equal([first, second]);
      expect(red.votes[0].confidence).to.be.greaterThan(0.5);
      const blue = await classify(solidImage([20, 20, 240]));
      expect(blue.classId).to.equal(second);
      // Classifying records nothing.
      expect(teachable.exampleCount(first)).to.equal(1);
      expect(teachable.exampleCount(second)).to.equal(2);
    });

    it('calls a frame unlike every class unknown once calibrated, as sensitive as asked', async () => {
      const [first, second] = ids();
      for (let i = 0; i < 6; i++) {
        await record(solidImage([200 + 8 * i, 30, 30], 4 * i), first);
        await record(solidImage([30, 30, 200 + 8 * i], 4 * i), second);
      }
      teachable.unknownSensitivity = 0.5;
      const green = solidImage([30, 220, 30], 10);
      const before = await teachable.processFrame(green, null);
      expect(before.unknownThreshold, 'not calibrated yet: nothing is called unknown').to.equal(null);
      expect(before.unknown).to.equal(false);
      await teachable.recalibrate();
      const red = await teachable.processFrame(RED_AGAIN, null);
      expect(red.prediction.classId).to.equal(first);
      expect(red.unknownThreshold).to.be.a('number');
      expect(red.unknown).to.equal(false);
      const stranger = await teachable.processFrame(green, null);
      expect(stranger.unknown).to.equal(true);
      teachable.unknownSensitivity = 0;
      expect((await teachable.processFrame(green, null)).unknown).to.equal(false);
      expect(() => (teachable.unknownSensitivity = 2)).to.throw(RangeError);
    });

    it('recalibrates after the examples change, not while recording', async () => {
      const [first, second] = ids();
      for (let i = 0; i < 6; i++) {
        await record(solidImage([200 + 8 * i, 30, 30], 4 * i), first);
        await record(solidImage([30, 30, 200 + 8 * i], 4 * i), second);
      }
      teachable.unknownSensitivity = 1;
      await teachable.recalibrate();
      const calibrated = (await teachable.processFrame(RED_AGAIN, null)).unknownThreshold;
      // Recording frames that are far from the others changes what is typical of the class.
      for (let i = 0; i < 6; i++) await record(solidImage([30, 200 + 8 * i, 30], 4 * i), first);
      expect((await teachable.processFrame(RED_AGAIN, null)).unknownThreshold, 'the last calibration until the new one is done').to.equal(calibrated);
      await teachable.recalibrate();
      expect((await teachable.processFrame(RED_AGAIN, null)).unknownThreshold).to.not.equal(calibrated);
    });

    it('fits the confidences to the examples once calibrated (the default sharpness until then)', async () => {
      const [first, second] = ids();
      for (let i = 0; i < 12; i++) {
        await record(solidImage([200 + 4 * i, 30, 30], 2 * i), first);
        await record(solidImage([30, 30, 200 + 4 * i], 2 * i), second);
      }
      // The sharpness a prediction used, read back from two classes' confidences and scores.
      const sharpnessOf = (votes: readonly { similarity: number; confidence: number }[]) =>
        Math.log(votes[0].confidence / votes[1].confidence) / (votes[0].similarity - votes[1].similarity);
      const before = await classify(RED_AGAIN);
      expect(sharpnessOf(before.votes)).to.be.closeTo(teachable.voteOptions.sharpness, 1e-3);
      await teachable.recalibrate();
      const after = await classify(RED_AGAIN);
      expect(after.classId).to.equal(first);
      // The sharpness the calibration fits to the stored examples, computed here on the page.
      const dataset = await teachable.exportDataset();
      const data = { classIds: [first, second], vectors: dataset.classes.map((c) => c.vectors), dim: dataset.dimension };
      const fitted = calibrateUnknown(data, { vote: teachable.voteOptions }).sharpness;
      expect(fitted).to.be.a('number').and.not.closeTo(teachable.voteOptions.sharpness, 1);
      expect(sharpnessOf(after.votes)).to.be.closeTo(fitted!, 1e-3 * fitted!);
    });

    it('predicts the taught class for the other colour too (the votes are not just "the first class")', async () => {
      const [first, second] = ids();
      await record(BLUE, first);
      await record(RED, second);
      expect((await classify(RED_AGAIN)).classId).to.equal(second);
      expect((await classify(BLUE_AGAIN)).classId).to.equal(first);
    });

    it('gives a class without examples confidence 0, and a new class takes part in the vote', async () => {
      const [first] = ids();
      await record(RED, first);
      const third = teachable.addClass();
      const result = await classify(BLUE);
      expect(result.votes.map((v) => v.classId)).to.deep.equal([...ids()]);
      expect(result.votes[1].confidence).to.equal(0);
      expect(result.votes[2].confidence).to.equal(0);
      await record(BLUE, third.id);
      expect((await classify(BLUE_AGAIN)).classId).to.equal(third.id);
    });

    it('records nothing, and does not throw, when the class being recorded to has been deleted', async () => {
      const [first, second] = ids();
      await record(BLUE, second);
      teachable.deleteClass(first);
      let thumbnails = 0;
      const r = await record(RED, first, () => `thumb-${++thumbnails}`);
      expect(r.recordedTo).to.equal(null);
      expect(thumbnails).to.equal(0);
      expect(teachable.exampleCount(first)).to.equal(0);
      expect(teachable.exampleCount(second)).to.equal(1);
      expect(r.prediction.votes.map((v) => v.classId)).to.deep.equal([second]);
      // With no class left, still no throw.
      teachable.deleteClass(second);
      const empty = await record(RED, second);
      const { stream, ...result } = empty;
      expect(result).to.deep.equal({
        prediction: { classId: null, votes: [] },
        dense: null,
        recordedTo: null,
        unknown: false,
        unknownThreshold: null,
      });
      expect(stream?.prediction).to.deep.include({ classId: null, rawClassId: null, confidences: [], mode: 'knn' });
    });

    it('deleting a class drops its examples; clearing one drops only this model’s', async () => {
      const [first, second] = ids();
      await record(RED, first);
      await record(BLUE, second);
      teachable.setEmbedder(tiny.b);
      await record(RED, first);
      teachable.clearClass(first);
      expect(teachable.exampleCount(first)).to.equal(0);
      teachable.setEmbedder(tiny.a);
      expect(teachable.exampleCount(first), 'the other model keeps its example').to.equal(1);
      teachable.deleteClass(first);
      teachable.setEmbedder(tiny.b);
      expect(teachable.examplesWithOtherModels(), 'only the second class’s example with model A is left').to.equal(1);
    });

    it('keeps examples per model: another model starts empty and switching back finds them again', async () => {
      const [first, second] = ids();
      await record(RED, first);
      await record(RED_AGAIN, first);
      await record(BLUE, second);
      teachable.setEmbedder(tiny.b);
      expect(teachable.embedder).to.equal(tiny.b);
      expect(teachable.exampleCount(first)).to.equal(0);
      expect(teachable.exampleCount(second)).to.equal(0);
      expect(teachable.examplesWithOtherModels()).to.equal(3);
      expect((await classify(RED)).classId, 'model B has no examples').to.equal(null);
      await record(BLUE, second);
      expect(teachable.exampleCount(second)).to.equal(1);

      teachable.setEmbedder(tiny.a);
      expect(teachable.exampleCount(first)).to.equal(2);
      expect(teachable.exampleCount(second)).to.equal(1);
      expect(teachable.examplesWithOtherModels()).to.equal(1);
      expect((await classify(RED)).classId).to.equal(first);
      teachable.setEmbedder(null);
      expect(teachable.exampleCount(first)).to.equal(0);
      expect(teachable.examplesWithOtherModels()).to.equal(4);
    });

    it(`shows the newest ${THUMBNAILS_SHOWN} thumbnails of a class, per model, made only for recorded frames`, async () => {
      const [first, second] = ids();
      let made = 0;
      const thumb = () => `data:image/jpeg;base64,${++made}`;
      for (let i = 0; i < THUMBNAILS_SHOWN + 2; i++) await record(RED, first, thumb);
      await teachable.processFrame(RED, null, thumb);
      expect(made).to.equal(THUMBNAILS_SHOWN + 2);
      const kept = teachable.thumbnails(first);
      expect(kept).to.have.length(THUMBNAILS_SHOWN);
      expect(kept[kept.length - 1]).to.equal(`data:image/jpeg;base64,${THUMBNAILS_SHOWN + 2}`);
      expect(kept[0]).to.equal('data:image/jpeg;base64,3');
      expect(teachable.thumbnails(second)).to.deep.equal([]);
      teachable.setEmbedder(tiny.b);
      expect(teachable.thumbnails(first)).to.deep.equal([]);
      teachable.setEmbedder(tiny.a);
      teachable.clearClass(first);
      expect(teachable.thumbnails(first)).to.deep.equal([]);
    });

    it("fires 'change' when classes, counts or the model change, but not for a frame that is only classified", async () => {
      const [first] = ids();
      changes = 0;
      await record(RED, first);
      expect(changes).to.equal(1);
      await classify(RED);
      await classify(BLUE);
      expect(changes).to.equal(1);
      teachable.clearClass(first);
      teachable.renameClass(first, 'Red');
      const added = teachable.addClass();
      teachable.deleteClass(added.id);
      teachable.setEmbedder(tiny.b);
      expect(changes).to.equal(6);
    });

    it('leaves the number of tensors unchanged across frames and recordings: the k-NN store holds none', async () => {
      const [first, second] = ids();
      await classify(RED); // the first frame may set up kernels
      const start = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await classify(i % 2 ? RED : BLUE);
      expect(tf.memory().numTensors).to.equal(start);
      await record(RED, first);
      for (let i = 0; i < 4; i++) await record(i % 2 ? RED_AGAIN : RED, first);
      await record(BLUE, second);
      for (let i = 0; i < 5; i++) await classify(i % 2 ? RED : BLUE);
      expect(tf.memory().numTensors).to.equal(start);
      teachable.dispose();
      expect(tf.memory().numTensors).to.equal(start);
    });
  });
});
