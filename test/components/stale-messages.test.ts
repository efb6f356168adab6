import { expect, fixture, html } from '@open-wc/testing';
import { DatasetActionsController } from '../../components/controllers/dataset-actions-controller';
import { EvaluationController } from '../../components/controllers/evaluation-controller';
import { PredictionLoopController } from '../../components/controllers/prediction-loop';
import { RecordTap } from '../../components/controllers/record-tap';
import '../../components/tm-evaluation-panel';
import type { TmEvaluationPanel } from '../../components/tm-evaluation-panel';
import '../../components/tm-model-panel';
import type { TmModelPanel } from '../../components/tm-model-panel';
import { HeadTrainer } from '../../src/app/head-trainer';
import { Teachable } from '../../src/app/teachable';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/app/dense-settings';
import { solidImage, tinyEmbedderPair } from '../helpers/tiny-model';

/** Every message goes when its cause goes, and nothing shows what it cannot know. */

const host = () => ({ addController: () => undefined, requestUpdate: () => undefined }) as never;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('messages that go when their cause goes', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;

  beforeEach(() => {
    teachable = new Teachable();
  });

  afterEach(() => teachable.dispose());

  it('drops "Cannot train: Class "temp" has no examples" once "temp" is deleted, and keeps it while it is not', async () => {
    teachable.setEmbedder(tiny.a);
    teachable.denseSettings = { ...DEFAULT_TRAINING_SETTINGS, epochs: 2, batchSize: 4 };
    const [a, b] = teachable.classes.map((c) => c.id);
    for (const shade of [0, 10, 20]) {
      await teachable.processFrame(solidImage([220, 30, 30], shade), a);
      await teachable.processFrame(solidImage([30, 30, 220], shade), b);
    }
    const temp = teachable.addClass('temp');
    const trainer = new HeadTrainer(teachable);
    try {
      await trainer.train();
      expect(trainer.message?.text).to.equal('Cannot train: Class "temp" has no examples: record some or remove it.');
      // Unrelated changes leave it: its cause is still there.
      teachable.renameClass(a, 'Red');
      await teachable.processFrame(solidImage([220, 30, 30], 30), a);
      expect(trainer.message?.text).to.contain('"temp" has no examples');
      teachable.deleteClass(temp.id);
      expect(trainer.message).to.equal(null);
      // Examples recorded into the empty class remove the cause too.
      const other = teachable.addClass('other');
      await trainer.train();
      expect(trainer.message?.text).to.contain('"other" has no examples');
      await teachable.processFrame(solidImage([30, 220, 30], 0), other.id);
      expect(trainer.message).to.equal(null);
    } finally {
      trainer.dispose();
    }
  });

  it('names a class deleted since the evaluation by its name, never by its id', async () => {
    teachable.setEmbedder(tiny.a);
    const [a, b] = teachable.classes.map((c) => c.id);
    teachable.renameClass(b, 'temp');
    for (const shade of [0, 10, 20, 30]) {
      await teachable.processFrame(solidImage([220, 30, 30], shade), a);
      await teachable.processFrame(solidImage([30, 30, 220], shade), b);
    }
    const trainer = new HeadTrainer(teachable);
    const evaluation = new EvaluationController(host(), teachable, trainer);
    evaluation.hostConnected();
    try {
      await evaluation.evaluate();
      teachable.deleteClass(b);
      const classes = evaluation.labelled(teachable.classes);
      expect(classes.map((c) => c.label)).to.deep.equal(['Class 1', 'temp (deleted)']);
      expect(evaluation.labelled(teachable.classes), 'the same list while nothing changes').to.equal(classes);
      const panel = await fixture<TmEvaluationPanel>(
        html`<tm-evaluation-panel .classes=${classes} .knn=${evaluation.knn} .dense=${evaluation.dense} ready></tm-evaluation-panel>`,
      );
      const text = panel.shadowRoot!.textContent!;
      expect(text).to.contain('temp (deleted)');
      expect(text).to.not.match(/class-\d/);
      // Even given no names at all, the panel shows no id.
      panel.classes = [];
      await panel.updateComplete;
      expect(panel.shadowRoot!.textContent).to.not.match(/class-\d/);
      expect(panel.shadowRoot!.textContent).to.contain('A deleted class');
    } finally {
      evaluation.hostDisconnected();
      trainer.dispose();
    }
  });

  it('drops "... are back." once the user changes the classes or examples, not before', () => {
    const actions = new DatasetActionsController(host(), teachable, { beforeImport: () => undefined });
    actions.setStatusUntilChange('12 examples in 2 classes are back.');
    teachable.unknownSensitivity = 0.5; // a setting: the classes are still as restored
    expect(actions.status).to.equal('12 examples in 2 classes are back.');
    teachable.renameClass(teachable.classes[0].id, 'Cup');
    expect(actions.status).to.equal('');
    // A status shown since stays: only the restored one described what changed.
    actions.setStatusUntilChange('3 examples in 2 classes are back.');
    actions.setStatus('Exported 0.1 MB.');
    teachable.addClass();
    expect(actions.status).to.equal('Exported 0.1 MB.');
  });

  it('names new classes with the lowest free number ("Class 1" again after everything was deleted)', () => {
    for (const c of [...teachable.classes]) teachable.deleteClass(c.id);
    for (let i = 0; i < 6; i++) teachable.addClass();
    for (const c of [...teachable.classes]) teachable.deleteClass(c.id);
    expect([teachable.addClass().label, teachable.addClass().label]).to.deep.equal(['Class 1', 'Class 2']);
    const ids = teachable.classes.map((c) => c.id);
    expect(ids).to.not.include('class-1'); // ids are never reused
    teachable.renameClass(teachable.classes[0].id, 'Cup');
    expect(teachable.addClass().label).to.equal('Class 1');
    expect(teachable.addClass('Plate').label).to.equal('Plate');
    expect(teachable.addClass().label).to.equal('Class 3');
  });

  it('shows "—" for the speed until a real frame has been timed, and again after resetTiming', async () => {
    let frames = false;
    const loop = new PredictionLoopController(
      host(),
      async () => {
        await sleep(5);
        return frames; // false: no camera or model yet
      },
      () => null,
    );
    loop.start();
    await sleep(100);
    expect(loop.lastStepMs).to.equal(null);
    const panel = await fixture<TmModelPanel>(html`<tm-model-panel status="ready" .frameMs=${loop.lastStepMs}></tm-model-panel>`);
    expect(panel.shadowRoot!.querySelector('.frame-time')!.textContent!.trim()).to.equal('— ms per frame');
    frames = true;
    await sleep(100);
    expect(loop.lastStepMs).to.be.greaterThan(4);
    loop.resetTiming();
    frames = false;
    await sleep(50);
    expect(loop.lastStepMs).to.equal(null);
    loop.stop();
    await loop.idle();
  });

  it('gives a tap too quick for a frame exactly one frame, then says so', () => {
    const told: string[] = [];
    const tap = new RecordTap((classId) => told.push(classId));
    tap.started('a');
    expect(tap.ended('a'), 'nothing recorded yet: keep recording').to.equal(true);
    tap.recorded('a');
    expect(told).to.deep.equal(['a']);
    tap.recorded('a');
    expect(told, 'only one frame is owed').to.deep.equal(['a']);
    // A real hold that recorded frames ends at once and says nothing.
    tap.started('b');
    tap.recorded('b');
    expect(tap.ended('b')).to.equal(false);
    expect(told).to.deep.equal(['a']);
    // Cancelled (the class deleted): nothing owed.
    tap.started('c');
    expect(tap.ended('c')).to.equal(true);
    tap.cancel();
    tap.recorded('c');
    expect(told).to.deep.equal(['a']);
  });

  it('says why a file was refused in sentences, keeping the line and column, never the parser\'s own text', async () => {
    const actions = new DatasetActionsController(host(), teachable, { beforeImport: () => undefined });
    const refused = async (text: string) => {
      await actions.importFile(new File([text], 'bad.json'), 'merge');
      return actions.status;
    };
    expect(await refused('{\n  "format": "teachable-knn-dataset",\n  "version": 1,,\n}')).to.equal(
      'bad.json was not imported, and nothing changed: it is not valid JSON, as double-quoted property name was expected here (line 3, column 16).',
    );
    expect(await refused('{"format": "teachable-knn-dataset", "ver')).to.match(
      /^bad\.json was not imported, and nothing changed: it is not valid JSON, as the text ends before the JSON is complete \(the file may be cut short\)( \(line 1, column \d+\))?\.$/,
    );
    // Chromium gives no place for a first character that cannot start JSON; Firefox does.
    expect(await refused('Rock, Paper\n1,2')).to.match(/^bad\.json was not imported, and nothing changed: it is not valid JSON, as ("R" does not belong here|a character here does not belong in JSON)( \(line 1, column 1\))?\.$/);
    for (const text of ['{"a" 1}', '[1 2]', '{"a":1} x', '{"a":"\\q"}']) {
      const status = await refused(text);
      expect(status, status).to.match(/^bad\.json was not imported, and nothing changed: it is not valid JSON, as [^()]+ \(line 1, column \d+\)\.$/);
      expect(status).to.not.match(/JSON\.parse|Unexpected|position|is not valid JSON"/);
    }
    expect(actions.statusIsError).to.equal(true);
  });
});
