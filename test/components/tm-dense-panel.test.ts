import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-dense-panel';
import type { TmDensePanel } from '../../components/tm-dense-panel';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/app/dense-settings';
import { accessibilityViolations } from '../helpers/axe';

const root = (el: TmDensePanel) => el.shadowRoot!;
const button = (el: TmDensePanel, text: string) => [...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(text))!;
const input = (el: TmDensePanel, name: string) => root(el).querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const stateText = (el: TmDensePanel) => root(el).querySelector('.state')!.textContent!.trim();

function type(field: HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('change'));
}

describe('<tm-dense-panel>', () => {
  it('offers the three modes as a radio group and fires mode-change', async () => {
    const el = await fixture<TmDensePanel>(html`<tm-dense-panel ready></tm-dense-panel>`);
    const radios = [...root(el).querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((r) => r.value)).to.deep.equal(['knn', 'dense', 'both']);
    expect(radios.map((r) => r.checked)).to.deep.equal([true, false, false]);
    expect(root(el).querySelector('[role="radiogroup"]')).to.not.equal(null);
    setTimeout(() => radios[2].click());
    const event = await oneEvent(el, 'tm-mode-change');
    expect(event.detail).to.deep.equal({ mode: 'both' });
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });

  it('shows the settings, refuses bad values with a message per field, and fires acceptable ones', async () => {
    const el = await fixture<TmDensePanel>(html`<tm-dense-panel ready></tm-dense-panel>`);
    expect(['units', 'epochs', 'learningRate', 'batchSize'].map((n) => input(el, n).value)).to.deep.equal(['100', '50', '0.001', '16']);
    let fired = 0;
    el.addEventListener('tm-dense-settings-change', () => fired++);
    type(input(el, 'batchSize'), '2.5');
    await el.updateComplete;
    const problem = root(el).querySelector('#setting-batchSize-problem')!;
    expect(problem.textContent).to.equal('Enter a whole number from 1 to 1024.');
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(input(el, 'batchSize').getAttribute('aria-invalid')).to.equal('true');
    expect(button(el, 'Train').disabled, 'no training with a refused value').to.equal(true);
    type(input(el, 'learningRate'), '');
    await el.updateComplete;
    expect(root(el).querySelector('#setting-learningRate-problem')!.textContent).to.equal('Enter a number from 0.00001 to 1.');
    expect(fired).to.equal(0);

    setTimeout(() => type(input(el, 'batchSize'), '32'));
    const event = await oneEvent(el, 'tm-dense-settings-change');
    expect(event.detail.settings).to.deep.equal({ ...DEFAULT_TRAINING_SETTINGS, batchSize: 32 });
    await el.updateComplete;
    expect(root(el).querySelector('#setting-batchSize-problem')!.textContent).to.equal('');
    expect(button(el, 'Train').disabled, 'the learning rate is still refused').to.equal(true);
    type(input(el, 'learningRate'), '0.01');
    await el.updateComplete;
    expect(button(el, 'Train').disabled).to.equal(false);
  });

  it('fires train-start and train-cancel, and enables each only when it can act', async () => {
    const el = await fixture<TmDensePanel>(html`<tm-dense-panel></tm-dense-panel>`);
    expect(button(el, 'Train').disabled, 'no model yet').to.equal(true);
    expect(button(el, 'Cancel').disabled).to.equal(true);
    el.ready = true;
    await el.updateComplete;
    setTimeout(() => button(el, 'Train').click());
    await oneEvent(el, 'tm-train-start');
    el.phase = 'training';
    el.progress = { epoch: 3, epochs: 50, batch: 2, batches: 4 };
    await el.updateComplete;
    expect(button(el, 'Train').disabled).to.equal(true);
    expect(input(el, 'units').matches(':disabled'), 'settings are locked while training').to.equal(true);
    expect(stateText(el)).to.equal('Training: epoch 3 of 50…');
    expect(root(el).querySelector('progress')!.value).to.equal(2.5);
    setTimeout(() => button(el, 'Cancel').click());
    await oneEvent(el, 'tm-train-cancel');
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });

  it('says which state the head is in, and shows errors as alerts', async () => {
    const el = await fixture<TmDensePanel>(html`<tm-dense-panel ready></tm-dense-panel>`);
    expect(stateText(el)).to.equal('Not trained yet.');
    expect(root(el).textContent).to.contain('train it again after a reload');
    el.phase = 'stale';
    el.staleReason = 'examples were added to "Cup"';
    el.message = { text: 'Cannot train: Class "Plate" has no examples: record some or remove it.', isError: true };
    await el.updateComplete;
    expect(stateText(el)).to.equal('Out of date: examples were added to "Cup". Train again to use the current examples.');
    expect(button(el, 'Train').textContent!.trim()).to.equal('Train again');
    const alert = root(el).querySelector('[role="alert"].message')!;
    expect(alert.textContent).to.contain('"Plate" has no examples');
    el.phase = 'trained';
    el.message = { text: 'Training was cancelled. Nothing changed.', isError: false };
    await el.updateComplete;
    expect(stateText(el)).to.equal('Trained, and up to date with the examples.');
    expect(root(el).querySelector('.message')!.getAttribute('role')).to.equal('status');
  });
});
