import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-dataset-toolbar';
import type { TmDatasetToolbar } from '../../components/tm-dataset-toolbar';
import { expectNoAxeViolations } from '../helpers/axe';

const buttons = (el: TmDatasetToolbar) => [...el.shadowRoot!.querySelectorAll('button')];
const button = (el: TmDatasetToolbar, text: string) => buttons(el).find((b) => b.textContent?.includes(text))!;

describe('<tm-dataset-toolbar>', () => {
  it('disables export when there is nothing to export, and fires dataset-export otherwise', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar></tm-dataset-toolbar>`);
    expect(button(el, 'Export').disabled).to.equal(true);
    el.empty = false;
    await el.updateComplete;
    setTimeout(() => button(el, 'Export').click());
    await oneEvent(el, 'tm-dataset-export');
  });

  it('fires tm-dataset-export-knn-classifier from "Export for knn-classifier", disabled while there is nothing to export', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar></tm-dataset-toolbar>`);
    expect(button(el, 'Export for knn-classifier').disabled).to.equal(true);
    el.empty = false;
    await el.updateComplete;
    let appFormat = 0;
    el.addEventListener('tm-dataset-export', () => appFormat++);
    setTimeout(() => button(el, 'Export for knn-classifier').click());
    await oneEvent(el, 'tm-dataset-export-knn-classifier');
    expect(appFormat).to.equal(0);
  });

  it('has no axe violations: empty, with examples, asking to clear, with a status and an error', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar></tm-dataset-toolbar>`);
    await expectNoAxeViolations(el, 'an empty toolbar');
    el.empty = false;
    el.status = 'Exported 1.2 MB.';
    await el.updateComplete;
    await expectNoAxeViolations(el, 'a toolbar with a status');
    button(el, 'Clear all').click();
    el.status = 'Import failed: not a dataset file.';
    el.statusIsError = true;
    await el.updateComplete;
    await expectNoAxeViolations(el, 'a toolbar asking to clear, with an error');
  });

  it('asks before clearing all, and fires dataset-clear only when confirmed', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar></tm-dataset-toolbar>`);
    let cleared = 0;
    el.addEventListener('tm-dataset-clear', () => cleared++);
    button(el, 'Clear all').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain('Remove every class');
    button(el, 'Keep them').click();
    await el.updateComplete;
    expect(cleared).to.equal(0);
    button(el, 'Clear all').click();
    await el.updateComplete;
    button(el, 'Yes, clear all').click();
    expect(cleared).to.equal(1);
  });

  it('fires dataset-import with the chosen file and mode', async () => {
    const el = await fixture<TmDatasetToolbar>(html`<tm-dataset-toolbar></tm-dataset-toolbar>`);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select[name="import-mode"]')!;
    select.value = 'merge';
    select.dispatchEvent(new Event('change'));
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['{}'], 'examples.json', { type: 'application/json' }));
    input.files = transfer.files;
    setTimeout(() => input.dispatchEvent(new Event('change')));
    const event = await oneEvent(el, 'tm-dataset-import');
    expect(event.detail.file.name).to.equal('examples.json');
    expect(event.detail.mode).to.equal('merge');
  });

  it('shows errors as alerts and other outcomes as status, as text', async () => {
    const el = await fixture<TmDatasetToolbar>(
      html`<tm-dataset-toolbar .status=${'<b>bad</b> file'} .statusIsError=${true}></tm-dataset-toolbar>`,
    );
    const message = el.shadowRoot!.querySelector('.status')!;
    expect(message.getAttribute('role')).to.equal('alert');
    expect(message.textContent?.trim()).to.equal('<b>bad</b> file');
    expect(message.querySelector('b')).to.equal(null);
    el.statusIsError = false;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.status')!.getAttribute('role')).to.equal('status');
  });
});
