import { expect, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { LitElement, html } from 'lit';
import { DenseHeadController } from '../../../components/controllers/dense-head-controller';
import { EvaluationController } from '../../../components/controllers/evaluation-controller';
import '../../../components/tm-dense-panel';
import type { TmDensePanel } from '../../../components/tm-dense-panel';
import '../../../components/tm-evaluation-panel';
import type { TmEvaluationPanel } from '../../../components/tm-evaluation-panel';
import { useBackend } from '../../../src/platform/backend';
import { Embedder } from '../../../src/models/embedder';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyNetwork, tinySpec } from '../../helpers/tiny-model';

/** The panels wired to the controllers as tm-app wires them. */
class DenseTestHost extends LitElement {
  readonly dense: DenseHeadController;
  readonly evaluation: EvaluationController;

  constructor(readonly teachable: Teachable) {
    super();
    this.dense = new DenseHeadController(this, teachable);
    this.evaluation = new EvaluationController(this, teachable, this.dense.trainer);
  }

  override render() {
    const trainer = this.dense.trainer;
    return html`<tm-dense-panel
        ready
        .mode=${this.teachable.classifierMode}
        .settings=${this.teachable.denseSettings}
        .phase=${trainer.phase}
        .progress=${trainer.progress}
        .staleReason=${trainer.staleReason}
        .message=${trainer.message}
        .history=${trainer.history}
        @tm-train-start=${() => this.dense.train()}
        @tm-train-cancel=${() => this.dense.cancel()}
      ></tm-dense-panel>
      <tm-evaluation-panel
        ready
        .classes=${this.teachable.classes}
        .knn=${this.evaluation.knn}
        .dense=${this.evaluation.dense}
        .busy=${this.evaluation.busy}
        .outdated=${this.evaluation.outdated}
        @tm-evaluate-request=${() => this.evaluation.evaluate()}
      ></tm-evaluation-panel>`;
  }
}
customElements.define('dense-test-host', DenseTestHost);

const REDS = [0, 10, 20, 30, 40, 50].map((p) => solidImage([220, 30, 30], p));
const BLUES = [0, 10, 20, 30, 40, 50].map((p) => solidImage([30, 30, 220], p));

describe('DenseHeadController with <tm-dense-panel> and <tm-evaluation-panel>', () => {
  let embedder: Embedder;
  let teachable: Teachable;
  let host: DenseTestHost;
  let red: string;
  let blue: string;
  let baseline: number;

  before(async () => {
    await useBackend('wasm');
    embedder = new Embedder(tinySpec(), tinyNetwork(8, 5));
  });

  after(() => embedder.dispose());

  beforeEach(async () => {
    baseline = tf.memory().numTensors;
    teachable = new Teachable();
    teachable.setEmbedder(embedder);
    teachable.denseSettings = { units: 16, epochs: 10, learningRate: 0.01, batchSize: 2 };
    [red, blue] = teachable.classes.map((c) => c.id);
    for (const image of REDS) await teachable.processFrame(image, red);
    for (const image of BLUES) await teachable.processFrame(image, blue);
    host = new DenseTestHost(teachable);
    document.body.append(host);
    await host.updateComplete;
  });

  afterEach(() => {
    host.remove();
    teachable.dispose();
    expect(tf.memory().numTensors, 'removing the host frees the head').to.equal(baseline);
  });

  const panel = () => host.shadowRoot!.querySelector<TmDensePanel>('tm-dense-panel')!;
  const button = (text: string) => [...panel().shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(text))!;
  const stateText = () => panel().shadowRoot!.querySelector('.state')!.textContent!.trim();
  const messageText = () => panel().shadowRoot!.querySelector('.message')?.textContent?.trim() ?? '';
  const settle = async () => {
    await host.updateComplete;
    await panel().updateComplete;
  };

  it('trains from the Train button, drawing each epoch live, and keeps only the head', async () => {
    const before = tf.memory().numTensors;
    const epochsDrawn: number[] = [];
    // What the panel showed after each change: training in a worker is over in a few milliseconds here, too soon to poll.
    const shown: { state: string; cancellable: boolean }[] = [];
    host.dense.trainer.addEventListener('change', () => {
      void settle().then(() => {
        epochsDrawn.push(panel().shadowRoot!.querySelector('tm-training-chart')!.history.length);
        shown.push({ state: stateText(), cancellable: !button('Cancel').disabled });
      });
    });
    button('Train').click();
    await waitUntil(() => host.dense.trainer.phase !== 'training', 'never finished', { timeout: 20000 });
    await settle();
    const progress = shown.filter((s) => s.state.startsWith('Training: epoch'));
    expect(progress.length, 'showed progress').to.be.greaterThan(0);
    expect(progress.every((s) => s.cancellable), 'Cancel is enabled while it trains').to.equal(true);
    expect(stateText()).to.equal('Trained, and up to date with the examples.');
    expect(messageText()).to.match(/^Trained on \d+ epochs\./);
    expect(new Set(epochsDrawn).size, 'the chart grew while training').to.be.greaterThan(3);
    expect(tf.memory().numTensors).to.equal(before + 3);
  });

  it('shows a clear message for fewer than 2 classes, an empty class and a loss that is not finite, leaving no tensor', async () => {
    teachable.deleteClass(blue);
    button('Train').click();
    await waitUntil(() => messageText() !== '', 'no message');
    expect(messageText()).to.equal('Cannot train: Training needs at least 2 classes with examples; there is 1.');
    expect(panel().shadowRoot!.querySelector('.message')!.getAttribute('role')).to.equal('alert');

    teachable.addClass('Bowl');
    await settle();
    button('Train').click();
    await waitUntil(() => messageText().includes('Bowl'), 'no message about Bowl');
    expect(messageText()).to.equal('Cannot train: Class "Bowl" has no examples: record some or remove it.');
    expect(stateText()).to.equal('Not trained yet.');

    teachable.deleteClass(teachable.classes[1].id);
    await teachable.processFrame(BLUES[0], teachable.addClass('Plate').id);
    const withPlate = tf.memory().numTensors;
    await host.dense.train({ learningRate: 1e30 });
    await settle();
    expect(messageText()).to.match(/^Training failed: The loss became .* in epoch 1, so training stopped\. Try a lower learning rate/);
    expect(stateText()).to.equal('Not trained yet.');
    expect(tf.memory().numTensors).to.equal(withPlate);
  });

  it('cancels in the middle of an epoch from the Cancel button, leaving no tensor', async () => {
    teachable.denseSettings = { ...teachable.denseSettings, epochs: 200 };
    const before = tf.memory().numTensors;
    let clicked = false;
    host.dense.trainer.addEventListener('change', () => {
      const p = host.dense.trainer.progress;
      if (!clicked && p && p.epoch === 2 && p.batch === 2) {
        clicked = true;
        button('Cancel').click();
      }
    });
    button('Train').click();
    await waitUntil(() => host.dense.trainer.phase !== 'training', 'never stopped', { timeout: 20000 });
    await settle();
    expect(clicked).to.equal(true);
    expect(host.dense.trainer.history).to.have.length(1);
    expect(messageText()).to.equal('Training was cancelled. Nothing changed.');
    expect(stateText()).to.equal('Not trained yet.');
    expect(button('Cancel').disabled).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('marks the head stale when examples change after training, and when examples are deleted while it trains', async () => {
    await host.dense.train();
    await teachable.processFrame(REDS[1], red);
    await settle();
    expect(stateText()).to.equal('Out of date: examples were added to "Class 1". Train again to use the current examples.');

    let cleared = false;
    host.dense.trainer.addEventListener('change', () => {
      if (!cleared && host.dense.trainer.progress?.epoch === 1) {
        cleared = true;
        teachable.clearClass(red);
      }
    });
    button('Train').click();
    await waitUntil(() => cleared && host.dense.trainer.phase !== 'training', 'never finished', { timeout: 20000 });
    await settle();
    expect(stateText()).to.equal('Out of date: the examples of "Class 1" were cleared while it trained. Train again to use the current examples.');
    expect(host.dense.trainer.head!.history.every((r) => Number.isFinite(r.loss))).to.equal(true);
    expect(teachable.exampleCount(red)).to.equal(0);
  });

  it('evaluates both modes on demand, and says when the numbers are out of date', async () => {
    await host.dense.train();
    await settle();
    const evaluationPanel = host.shadowRoot!.querySelector<TmEvaluationPanel>('tm-evaluation-panel')!;
    evaluationPanel.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => host.evaluation.knn !== null && !host.evaluation.busy, 'never measured');
    await host.updateComplete;
    await evaluationPanel.updateComplete;
    const section = (mode: string) => evaluationPanel.shadowRoot!.querySelector(`section[data-mode="${mode}"]`)!;
    expect(section('knn').querySelector('.method')!.textContent).to.match(/^Leave-one-out: each of the 12 examples/);
    expect(section('knn').querySelectorAll('table.matrix tbody tr')).to.have.length(2);
    expect(section('dense').querySelector('.method')!.textContent).to.match(/^Validation split: the 2 examples/);
    expect(evaluationPanel.outdated).to.equal(false);
    await teachable.processFrame(REDS[2], red);
    await host.updateComplete;
    expect(evaluationPanel.outdated).to.equal(true);
  });
});
