import { expect, fixture, html } from '@open-wc/testing';
import '../../components/tm-mode-bars';
import type { TmModeBars } from '../../components/tm-mode-bars';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import type { TmUnknownControl } from '../../components/tm-unknown-control';
import type { DenseHeadPrediction } from '../../src/classifier/dense-head/dense-head';
import type { KnnPrediction } from '../../src/classifier/knn/knn';
import type { PredictionDetail } from '../../src/pipeline/prediction-stream';
import { accessibilityViolations } from '../helpers/axe';

const CLASSES = [
  { id: 'class-1', label: 'Cup', color: '#1f5fd6' },
  { id: 'class-2', label: 'Plate', color: '#c2410c' },
  { id: 'class-3', label: 'Fork', color: '#15803d' },
];
const KNN: KnnPrediction = {
  classId: 'class-1',
  votes: [
    { classId: 'class-1', similarity: 0.9, confidence: 0.7 },
    { classId: 'class-2', similarity: 0.5, confidence: 0.2 },
    { classId: 'class-3', similarity: 0.4, confidence: 0.1 },
  ],
};
/** A head trained before Fork was added. */
const DENSE: DenseHeadPrediction = {
  classId: 'class-2',
  confidences: [
    { classId: 'class-1', confidence: 0.4 },
    { classId: 'class-2', confidence: 0.6 },
  ],
};

const sets = (el: TmModeBars) => [...el.shadowRoot!.querySelectorAll<TmConfidenceBars>('tm-confidence-bars')];
const captions = (el: TmModeBars) => [...el.shadowRoot!.querySelectorAll('h2')].map((h) => h.textContent!.trim());

describe('<tm-mode-bars>', () => {
  it('shows only the k-NN bars in k-NN mode', async () => {
    const el = await fixture<TmModeBars>(html`<tm-mode-bars .classes=${CLASSES} .knn=${KNN} .dense=${DENSE}></tm-mode-bars>`);
    expect(sets(el).map((s) => s.dataset.mode)).to.deep.equal(['knn']);
    expect(sets(el)[0].bars.map((b) => b.confidence)).to.deep.equal([0.7, 0.2, 0.1]);
    expect(sets(el)[0].topClassId).to.equal('class-1');
  });

  it('shows two captioned sets side by side in both mode, 0 for a class the head never learned', async () => {
    const el = await fixture<TmModeBars>(
      html`<tm-mode-bars mode="both" headPhase="stale" headForModel .classes=${CLASSES} .knn=${KNN} .dense=${DENSE}></tm-mode-bars>`,
    );
    expect(sets(el).map((s) => s.dataset.mode)).to.deep.equal(['knn', 'dense']);
    expect(captions(el)).to.deep.equal(['k-NN', 'Dense head (out of date)']);
    expect(sets(el)[1].bars.map((b) => [b.label, b.confidence])).to.deep.equal([
      ['Cup', 0.4],
      ['Plate', 0.6],
      ['Fork', 0],
    ]);
    expect(sets(el)[1].topClassId).to.equal('class-2');
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });

  it('asks for training in dense mode until there is a head for this model', async () => {
    const el = await fixture<TmModeBars>(html`<tm-mode-bars mode="dense" .classes=${CLASSES} .knn=${KNN}></tm-mode-bars>`);
    expect(sets(el)).to.have.length(0);
    expect(el.shadowRoot!.textContent).to.contain('Train the dense head to see its predictions.');
    el.headPhase = 'stale';
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('trained on another model');
    el.headForModel = true;
    el.dense = DENSE;
    await el.updateComplete;
    expect(sets(el).map((s) => s.dataset.mode)).to.deep.equal(['dense']);
    expect(sets(el)[0].bars.map((b) => b.confidence)).to.deep.equal([0.4, 0.6, 0]);
  });

  it("shows the stream's smoothed or raw bars and stable class for the classifier the mode follows", async () => {
    const stream: PredictionDetail = {
      classId: 'class-1',
      label: 'Cup',
      rawClassId: 'class-2',
      confidences: CLASSES.map((c, i) => ({ classId: c.id, label: c.label, confidence: [0.5, 0.3, 0.2][i], raw: [0.2, 0.7, 0.1][i] })),
      mode: 'dense',
      time: 0,
    };
    const el = await fixture<TmModeBars>(
      html`<tm-mode-bars mode="dense" headForModel .classes=${CLASSES} .dense=${DENSE} .stream=${stream}></tm-mode-bars>`,
    );
    const streamed = CLASSES.map((c, i) => ({ classId: c.id, label: c.label, confidence: [0.5, 0.3, 0.2][i], color: c.color }));
    expect(sets(el)[0].bars).to.deep.equal(streamed);
    expect(sets(el)[0].topClassId).to.equal('class-1');
    el.showRaw = true;
    await el.updateComplete;
    expect(sets(el)[0].bars.map((b) => b.confidence)).to.deep.equal([0.2, 0.7, 0.1]);
    expect(sets(el)[0].topClassId, 'the stable class, not the raw one').to.equal('class-1');
    // In 'both' mode the stream follows the k-NN, and the head's bars beside it are its frame's own.
    el.mode = 'both';
    el.knn = KNN;
    await el.updateComplete;
    expect(sets(el).map((s) => s.bars.map((b) => b.confidence))).to.deep.equal([
      [0.2, 0.7, 0.1],
      [0.4, 0.6, 0],
    ]);
    expect(sets(el).map((s) => s.topClassId)).to.deep.equal(['class-1', 'class-2']);
  });

  it('has one "Say unknown" control, which says "unknown" for the k-NN and the dense head alike', async () => {
    const el = await fixture<TmModeBars>(
      html`<tm-mode-bars mode="both" headPhase="trained" headForModel .classes=${CLASSES} .knn=${KNN} .dense=${DENSE} .unknownSensitivity=${0.4}></tm-mode-bars>`,
    );
    const sliders = () => [el, ...sets(el)].flatMap((e) => [...e.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="range"]')]);
    const controls = el.shadowRoot!.querySelectorAll<TmUnknownControl>('tm-unknown-control');
    expect(controls.length).to.equal(1);
    expect(controls[0].sensitivity).to.equal(0.4);
    expect(sliders()).to.have.length(0); // none inside either set of bars
    expect(el.shadowRoot!.querySelector('.governs')!.textContent).to.contain('k-NN and the dense head alike');
    el.unknown = true;
    await el.updateComplete;
    await Promise.all(sets(el).map((s) => s.updateComplete));
    expect(sets(el).map((s) => s.unknown)).to.deep.equal([true, true]);
    expect(sets(el).map((s) => s.shadowRoot!.querySelectorAll('li.top').length)).to.deep.equal([0, 0]);
    // In k-NN mode the same single control, with nothing to explain.
    el.mode = 'knn';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('tm-unknown-control').length).to.equal(1);
    expect(el.shadowRoot!.querySelector('.governs')).to.equal(null);
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });
});
