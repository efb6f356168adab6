import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-reembed-offer';
import type { TmReembedOffer } from '../../components/tm-reembed-offer';
import { expectNoAxeViolations } from '../helpers/axe';

const buttonText = (element: TmReembedOffer) => [...element.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());

describe('tm-reembed-offer', () => {
  it('shows nothing with no offer and no message', async () => {
    const element = await fixture<TmReembedOffer>(html`<tm-reembed-offer></tm-reembed-offer>`);
    expect(buttonText(element)).to.deep.equal([]);
    expect(element.getBoundingClientRect().height).to.equal(0);
  });

  it('offers the re-embed in words, with a button', async () => {
    const offer = '12 examples in 2 classes were recorded with MobileNet V1 0.25, none with MobileNet V2 0.35. Re-embed their kept frames for it?';
    const element = await fixture<TmReembedOffer>(html`<tm-reembed-offer .offer=${offer}></tm-reembed-offer>`);
    expect(element.shadowRoot!.textContent).to.contain(offer);
    setTimeout(() => element.shadowRoot!.querySelector('button')!.click());
    await oneEvent(element, 'tm-reembed-start');
    await expectNoAxeViolations(element);
  });

  it('shows the progress with Cancel, then how it ended', async () => {
    const element = await fixture<TmReembedOffer>(html`<tm-reembed-offer offer="x" .progress=${{ done: 32, total: 120 }}></tm-reembed-offer>`);
    const progress = element.shadowRoot!.querySelector('progress')!;
    expect([progress.value, progress.max]).to.deep.equal([32, 120]);
    expect(element.shadowRoot!.querySelector('label')!.textContent).to.contain('Re-embedding 32 of 120 frames');
    expect(buttonText(element)).to.deep.equal(['Cancel']);
    await expectNoAxeViolations(element);
    setTimeout(() => element.shadowRoot!.querySelector('button')!.click());
    await oneEvent(element, 'tm-reembed-cancel');
    element.progress = null;
    element.offer = '';
    element.message = 'Re-embedding cancelled: nothing was changed.';
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Re-embedding cancelled: nothing was changed.');
    element.message = 'Could not re-embed: the image could not be decoded.';
    element.messageIsError = true;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('Could not re-embed');
  });
});
