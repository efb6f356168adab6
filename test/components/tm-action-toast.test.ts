import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-action-toast';
import '../../components/tm-confirm-bar';
import type { TmActionToast } from '../../components/tm-action-toast';
import type { TmConfirmBar } from '../../components/tm-confirm-bar';

describe('<tm-action-toast>', () => {
  it('keeps an empty live region in the page, then shows the message with its button', async () => {
    const el = await fixture<TmActionToast>(html`<tm-action-toast></tm-action-toast>`);
    const region = el.shadowRoot!.querySelector('[role="status"]')!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    expect(region.hasAttribute('hidden')).to.equal(true);
    expect(el.shadowRoot!.querySelectorAll('button')).to.have.length(0);
    el.message = 'Clearing "Palm" (55 examples): done.';
    el.actionLabel = 'Undo';
    await el.updateComplete;
    expect(region.hasAttribute('hidden')).to.equal(false);
    expect(region.textContent).to.contain('Clearing "Palm" (55 examples): done.');
    const [undo, dismiss] = el.shadowRoot!.querySelectorAll('button');
    expect(undo.textContent).to.equal('Undo');
    expect(dismiss.getAttribute('aria-label')).to.equal('Dismiss message');
    setTimeout(() => undo.click());
    await oneEvent(el, 'tm-toast-action');
    setTimeout(() => dismiss.click());
    await oneEvent(el, 'tm-toast-dismiss');
    await expect(el).to.be.accessible();
  });
});

describe('<tm-confirm-bar>', () => {
  it('asks in the page, focusing the answer to go ahead; Escape or Cancel says no', async () => {
    const el = await fixture<TmConfirmBar>(html`<tm-confirm-bar></tm-confirm-bar>`);
    expect(el.shadowRoot!.querySelector('[role="alertdialog"]')).to.equal(null);
    el.question = 'a.json: Replace your 2 classes (5 examples) with 1 class (3 examples).';
    el.confirmLabel = 'Replace';
    await el.updateComplete;
    const dialog = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('question');
    const [go, cancel] = el.shadowRoot!.querySelectorAll('button');
    expect(el.shadowRoot!.activeElement).to.equal(go);
    expect(go.textContent).to.equal('Replace');
    setTimeout(() => go.click());
    expect((await oneEvent(el, 'tm-confirm-answer')).detail).to.deep.equal({ confirmed: true });
    setTimeout(() => cancel.click());
    expect((await oneEvent(el, 'tm-confirm-answer')).detail).to.deep.equal({ confirmed: false });
    setTimeout(() => go.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true })));
    expect((await oneEvent(el, 'tm-confirm-answer')).detail).to.deep.equal({ confirmed: false });
    await expect(el).to.be.accessible();
  });
});
