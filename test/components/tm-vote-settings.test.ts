import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-vote-settings';
import type { TmVoteSettings } from '../../components/tm-vote-settings';
import { accessibilityViolations } from '../helpers/axe';

describe('<tm-vote-settings>', () => {
  it('keeps k folded away and disabled under the default vote', async () => {
    const el = await fixture<TmVoteSettings>(html`<tm-vote-settings></tm-vote-settings>`);
    const details = el.shadowRoot!.querySelector('details')!;
    expect(details.open).to.equal(false);
    const k = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="number"]')!;
    expect(k.disabled).to.equal(true);
    details.open = true;
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });

  it('fires vote-change for the method and for an acceptable k, and explains a refused k', async () => {
    const el = await fixture<TmVoteSettings>(html`<tm-vote-settings .vote=${{ k: 3, sharpness: 30 }}></tm-vote-settings>`);
    const [, meanOfK] = el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]');
    setTimeout(() => meanOfK.click());
    const picked = await oneEvent(el, 'tm-vote-change');
    expect(picked.detail.vote).to.deep.equal({ k: 3, sharpness: 30, method: 'mean-of-k' });
    el.vote = picked.detail.vote;
    await el.updateComplete;
    const k = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="number"]')!;
    expect(k.disabled).to.equal(false);
    let fired = 0;
    el.addEventListener('tm-vote-change', () => fired++);
    k.value = '0';
    k.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('k must be a whole number from 1 to 20.');
    setTimeout(() => {
      k.value = '5';
      k.dispatchEvent(new Event('change'));
    });
    const changed = await oneEvent(el, 'tm-vote-change');
    expect(changed.detail.vote).to.deep.equal({ k: 5, sharpness: 30, method: 'mean-of-k' });
  });

  it('offers the classic knn-classifier vote, with k enabled and explained', async () => {
    const el = await fixture<TmVoteSettings>(html`<tm-vote-settings .vote=${{ k: 3, sharpness: 30 }}></tm-vote-settings>`);
    const radios = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((r) => r.parentElement!.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Soft nearest (default)',
      'Mean of the k nearest',
      'Classic k-NN (@tensorflow-models/knn-classifier: top-k cosine majority)',
    ]);
    setTimeout(() => radios[2].click());
    const picked = await oneEvent(el, 'tm-vote-change');
    expect(picked.detail.vote).to.deep.equal({ k: 3, sharpness: 30, method: 'knn-classifier' });
    el.vote = picked.detail.vote;
    await el.updateComplete;
    const k = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="number"]')!;
    expect(k.disabled).to.equal(false);
    expect(el.shadowRoot!.querySelector('#k-help')!.textContent).to.contain('predictClass');
    el.shadowRoot!.querySelector('details')!.open = true;
    expect(await accessibilityViolations(el)).to.deep.equal([]);
  });
});
