import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-evaluation-panel';
import type { TmEvaluationPanel } from '../../components/tm-evaluation-panel';
import { evaluation } from '../../src/classifier/analysis/evaluate';
import { accessibilityViolations } from '../helpers/axe';

const CLASSES = [
  { id: 'class-1', label: 'Cup' },
  { id: 'class-2', label: 'Plate' },
];
// Cup: 3 held out, 2 right, 1 taken for Plate; Plate: 2 held out, both right.
const KNN = { result: { evaluation: evaluation(['class-1', 'class-2'], [0, 0, 0, 1, 1], [0, 0, 1, 1, 1]), method: 'Leave-one-out: each of the 5 examples classified by all the others.' } };
const cells = (table: Element) => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));

describe('<tm-evaluation-panel>', () => {
  it('asks for an evaluation, and fires evaluate-request only when a model is loaded', async () => {
    const el = await fixture<TmEvaluationPanel>(html`<tm-evaluation-panel></tm-evaluation-panel>`);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.textContent!.trim()).to.equal('Evaluate');
    expect(button.disabled).to.equal(true);
    el.ready = true;
    await el.updateComplete;
    setTimeout(() => button.click());
    await oneEvent(el, 'tm-evaluate-request');
    el.busy = true;
    await el.updateComplete;
    expect(button.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).to.equal('Measuring…');
  });

  it('shows per-class accuracy and the confusion matrix of each mode, with how it was measured', async () => {
    const el = await fixture<TmEvaluationPanel>(
      html`<tm-evaluation-panel ready .classes=${CLASSES} .knn=${KNN} .dense=${{ problem: 'Train the dense head to measure it.' }}></tm-evaluation-panel>`,
    );
    const knn = el.shadowRoot!.querySelector('section[data-mode="knn"]')!;
    expect(knn.querySelector('.method')!.textContent).to.contain('Leave-one-out');
    expect(knn.querySelector('.overall')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Accuracy: 80% (4 of 5)');
    expect(cells(knn.querySelector('table.per-class')!)).to.deep.equal([
      ['Cup', '3', '2', '67%'],
      ['Plate', '2', '2', '100%'],
    ]);
    const matrix = knn.querySelector('table.matrix')!;
    expect([...matrix.querySelectorAll('thead th')].map((th) => th.textContent!.trim())).to.deep.equal(['Cup', 'Plate']);
    expect(cells(matrix)).to.deep.equal([
      ['Cup', '2', '1'],
      ['Plate', '0', '2'],
    ]);
    expect(matrix.querySelector('caption')!.textContent).to.contain('rows: the actual class');
    expect(el.shadowRoot!.querySelector('section[data-mode="dense"] .problem')!.textContent).to.equal('Train the dense head to measure it.');
    expect(el.shadowRoot!.querySelector('button')!.textContent!.trim()).to.equal('Evaluate again');
    el.outdated = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('changed since');
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });
});
