import { expect } from '@open-wc/testing';
import { ConfirmController } from '../../../components/controllers/confirm-controller';
import { UndoController } from '../../../components/controllers/undo-controller';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

describe('UndoController', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let confirmations: ConfirmController;
  let undoing: UndoController;
  const host = { addController: () => undefined, requestUpdate: () => undefined } as never;

  beforeEach(async () => {
    teachable = new Teachable();
    teachable.setEmbedder(tiny.a);
    confirmations = new ConfirmController(host);
    undoing = new UndoController(host, teachable, { ask: (question, label) => confirmations.ask(question, label) });
    undoing.hostConnected();
    for (let i = 0; i < 3; i++) await teachable.processFrame(solidImage([150 + 20 * i, 30, 30], i), teachable.classes[0].id);
  });

  afterEach(() => {
    undoing.hostDisconnected();
    teachable.dispose();
  });

  const press = (init: KeyboardEventInit, target: EventTarget = window) =>
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', bubbles: true, composed: true, cancelable: true, ...init }));

  it('offers Undo after each destructive action, and Ctrl+Z or Cmd+Z undoes it', async () => {
    const red = teachable.classes[0].id;
    teachable.clearClass(red);
    expect(undoing.message).to.equal('Clearing "Class 1" (3 examples): done.');
    expect(undoing.actionLabel).to.equal('Undo');
    undoing.act();
    await Promise.resolve();
    expect(teachable.exampleCount(red)).to.equal(3);
    expect(undoing.message).to.equal('Undone: clearing "Class 1" (3 examples).');
    expect(undoing.actionLabel, 'nothing more to undo').to.equal('');
    teachable.deleteExamples(red, [0]);
    press({ ctrlKey: true });
    await Promise.resolve();
    expect(teachable.exampleCount(red)).to.equal(3);
    teachable.deleteExamples(red, [0]);
    press({ metaKey: true });
    await Promise.resolve();
    expect(teachable.exampleCount(red)).to.equal(3);
    press({ ctrlKey: true });
    await Promise.resolve();
    expect(undoing.message).to.equal('There is nothing to undo.');
  });

  it('leaves Ctrl+Z to a text field that has the focus', () => {
    const red = teachable.classes[0].id;
    teachable.deleteExamples(red, [0]);
    const field = document.body.appendChild(document.createElement('input'));
    try {
      press({ ctrlKey: true }, field);
      expect(teachable.exampleCount(red)).to.equal(2);
    } finally {
      field.remove();
    }
  });

  it('asks in the page before an undo that would lose what was done after it', async () => {
    const original = teachable.classes.map((c) => c.id);
    teachable.clearAll();
    const fresh = teachable.classes.map((c) => c.id);
    expect(fresh).to.not.deep.equal(original);
    await teachable.processFrame(solidImage([30, 30, 200], 0), teachable.classes[0].id);
    const undone = undoing.undo();
    await Promise.resolve();
    expect(confirmations.question).to.equal('Undoing clearing everything would also undo what you did after it. Undo it anyway?');
    confirmations.answer(false);
    await undone;
    expect(teachable.classes.map((c) => c.id)).to.deep.equal(fresh);
    expect(teachable.exampleCount(fresh[0])).to.equal(1);
    const again = undoing.undo();
    await Promise.resolve();
    confirmations.answer(true);
    await again;
    expect(teachable.classes.map((c) => c.id)).to.deep.equal(original);
    expect(teachable.classes.map((c) => c.label)).to.deep.equal(['Class 1', 'Class 2']);
    expect(teachable.exampleCount(teachable.classes[0].id)).to.equal(3);
  });

  it('takes a question away, answering no, when the work it asks about is cancelled', async () => {
    const cancel = new AbortController();
    const answer = confirmations.ask('a.json: Replace your 2 classes?', 'Replace', cancel.signal);
    expect(confirmations.question).to.equal('a.json: Replace your 2 classes?');
    cancel.abort();
    expect(await answer).to.equal(false);
    expect(confirmations.question).to.equal('');
    const next = confirmations.ask('b.json: Add 1 class?', 'Add');
    confirmations.answer(true);
    expect(await next).to.equal(true);
  });

  it('after a recording, offers to delete its last 2 seconds', async () => {
    const red = teachable.classes[0].id;
    undoing.recordingStarted(red);
    for (let i = 0; i < 2; i++) await teachable.processFrame(solidImage([30, 200, 30 + 20 * i], i), red);
    undoing.recordingEnded(red);
    expect(undoing.message).to.equal('Recorded 2 examples of "Class 1".');
    expect(undoing.actionLabel).to.equal('Delete the last 2 seconds');
    undoing.act();
    expect(teachable.exampleCount(red), 'the 3 recorded before this hold stay, recent as they are').to.equal(3);
    expect(undoing.message).to.equal('Deleting 2 examples of "Class 1": done.');
  });
});
