import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { PredictionEventsController } from '../../../components/controllers/prediction-events-controller';
import { OUTPUT_CHANNEL, type ClassChangeMessage } from '../../../src/outputs/broadcast';
import type { ClassChangeDetail, PredictionDetail, StreamFrame } from '../../../src/pipeline/prediction-stream';
import { readViewPreferences, viewPreferencesKey } from '../../../src/storage/view-preferences';
import { Teachable } from '../../../src/app/teachable';
import { wavFile } from '../../helpers/wav';

/** A bare host: the controller is what is tested, the app only wires it. */
class EventsHost extends LitElement {
  readonly teachable = new Teachable(3);
  readonly problems: string[] = [];
  readonly predictions = new PredictionEventsController(this, this.teachable, (message) => this.problems.push(message));
}
customElements.define('events-host', EventsHost);

/** A host that keeps mute and raw values under a key, as tm-app does under its database's. */
let preferencesKey = '';
class RememberingHost extends LitElement {
  readonly teachable = new Teachable(2);
  readonly predictions = new PredictionEventsController(this, this.teachable, () => undefined, () => preferencesKey);
}
customElements.define('remembering-host', RememberingHost);

describe('PredictionEventsController', () => {
  let host: EventsHost;
  let ids: string[];
  let predictions: PredictionDetail[];
  let changes: ClassChangeDetail[];

  beforeEach(async () => {
    host = await fixture<EventsHost>(html`<events-host></events-host>`);
    ids = host.teachable.classes.map((c) => c.id);
    host.teachable.renameClass(ids[0], 'Up');
    predictions = [];
    changes = [];
    // Typed through HTMLElementEventMap: no casts needed.
    host.addEventListener('tm-prediction', (e) => predictions.push(e.detail));
    host.addEventListener('tm-class-change', (e) => changes.push(e.detail));
  });

  const frame = (top: string | null, time = 0): StreamFrame => ({
    mode: 'knn',
    votes: host.teachable.classes.map((c) => ({ classId: c.id, confidence: c.id === top ? 0.8 : 0.1 })),
    top,
    time,
  });
  const push = (top: string | null, times: number) => {
    for (let i = 0; i < times; i++) host.predictions.emit(host.teachable.stream.push(frame(top, i)));
  };

  it('fires prediction on every frame and class-change only when the stable class changes', () => {
    push(ids[0], 5);
    push(ids[1], 5);
    expect(predictions).to.have.length(10);
    expect(predictions[4]).to.deep.include({ classId: ids[0], label: 'Up', rawClassId: ids[0], mode: 'knn', time: 4 });
    expect(predictions[4].confidences[0]).to.deep.include({ classId: ids[0], label: 'Up', raw: 0.8 });
    expect(changes.map((c) => [c.previousLabel, c.label])).to.deep.equal([
      [null, 'Up'],
      ['Up', 'Class 2'],
    ]);
  });

  it('reports unknown as a null class', () => {
    push(ids[0], 3);
    push(null, 3);
    expect(changes.at(-1)).to.deep.include({ classId: null, label: null, previousLabel: 'Up' });
  });

  it('uses the saved smoothing setting, and a new one from the next frame', () => {
    host.teachable.smoothing = 'off';
    push(ids[0], 1);
    push(ids[1], 1);
    expect(changes.map((c) => c.classId)).to.deep.equal([ids[0], ids[1]]);
  });

  it('gives the bars smoothed values, or raw ones when asked', () => {
    push(ids[0], 3);
    push(ids[1], 1);
    const classes = host.teachable.classes;
    expect(host.predictions.bars(classes)[1].confidence).to.be.closeTo(0.1 + 0.5 * 0.7, 1e-6);
    host.predictions.showRaw = true;
    expect(host.predictions.bars(classes)[1].confidence).to.equal(0.8);
    host.predictions.reset();
    expect(host.predictions.bars(classes).map((b) => b.confidence)).to.deep.equal([0, 0, 0]);
  });

  it("posts a class's channel message on class-change, never per frame", async () => {
    const listener = new BroadcastChannel(OUTPUT_CHANNEL);
    const messages: ClassChangeMessage[] = [];
    listener.onmessage = (event) => messages.push(event.data as ClassChangeMessage);
    host.teachable.setClassOutput(ids[0], { kind: 'broadcast' });
    host.teachable.setClassOutput(ids[2], { kind: 'broadcast' });
    push(ids[0], 10);
    push(ids[1], 10); // no output: nothing posted
    push(ids[2], 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    listener.close();
    expect(messages.map((m) => [m.label, m.index, m.previousLabel])).to.deep.equal([
      ['Up', 0, null],
      ['Class 3', 2, 'Class 2'],
    ]);
  });

  it("stops a deleted class's output, says so, and keeps streaming", () => {
    host.teachable.setClassOutput(ids[0], { kind: 'tone', tone: 'chime' });
    push(ids[0], 3);
    host.teachable.deleteClass(ids[0]);
    expect(host.problems).to.deep.equal(['"Up" was deleted, so its output stopped.']);
    push(ids[1], 3);
    expect(changes.at(-1)).to.deep.include({ classId: ids[1], previousClassId: ids[0] });
  });

  it('mute silences a class tone', () => {
    host.teachable.setClassOutput(ids[0], { kind: 'tone', tone: 'high' });
    host.teachable.setClassOutput(ids[1], { kind: 'tone', tone: 'low' });
    host.predictions.muted = true;
    push(ids[0], 3);
    push(ids[1], 3);
    host.teachable.deleteClass(ids[1]);
    expect(host.problems).to.deep.equal([]); // nothing was playing, so nothing was cut short or stopped
  });

  it('keeps mute and raw values for the next visit where the host gives a key, and not where it gives none', async () => {
    preferencesKey = viewPreferencesKey(`events-test-${Math.random()}`);
    try {
      const first = await fixture<RememberingHost>(html`<remembering-host></remembering-host>`);
      expect([first.predictions.muted, first.predictions.showRaw]).to.deep.equal([false, false]);
      first.predictions.muted = true;
      first.predictions.showRaw = true;
      first.remove();
      const next = await fixture<RememberingHost>(html`<remembering-host></remembering-host>`);
      expect([next.predictions.muted, next.predictions.showRaw]).to.deep.equal([true, true]);
      next.predictions.showRaw = false;
      expect(readViewPreferences(preferencesKey)).to.deep.equal({ muted: true, showRaw: false });
      host.predictions.muted = true;
      const fresh = await fixture<EventsHost>(html`<events-host></events-host>`);
      expect(fresh.predictions.muted, 'a host with no key starts unmuted').to.equal(false);
    } finally {
      localStorage.removeItem(preferencesKey);
    }
  });

  it('makes a checked sound file the output, and keeps the old output with the reason for a bad one', async () => {
    host.teachable.setClassOutput(ids[0], { kind: 'speech' });
    await host.predictions.pickSound(ids[0], new File(['hello'], 'hello.txt', { type: 'text/plain' }));
    expect(host.teachable.classOutput(ids[0])).to.deep.equal({ kind: 'speech' });
    expect(host.predictions.soundProblem(ids[0])).to.contain('"hello.txt" is not a sound');
    await host.predictions.pickSound(ids[0], wavFile(0.3, 'ding.wav'));
    expect(host.teachable.classOutput(ids[0])).to.deep.include({ kind: 'sound', name: 'ding.wav' });
    expect(host.predictions.soundProblem(ids[0])).to.equal(null);
  });
});
