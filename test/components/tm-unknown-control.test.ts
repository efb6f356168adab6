import { expect, fixture, html } from '@open-wc/testing';
import '../../components/tm-unknown-control';
import type { TmUnknownControl, UnknownSensitivityDetail } from '../../components/tm-unknown-control';
import { expectNoAxeViolations } from '../helpers/axe';

describe('<tm-unknown-control>', () => {
  it('shows the sensitivity in a labelled slider and reports the one the user picks', async () => {
    const element = await fixture<TmUnknownControl>(html`<tm-unknown-control .sensitivity=${0.35}></tm-unknown-control>`);
    const slider = element.shadowRoot!.querySelector<HTMLInputElement>('input[type="range"]')!;
    expect(slider.value).to.equal('35');
    expect(slider.closest('label')!.textContent).to.contain('unknown');
    expect(slider.getAttribute('aria-valuetext')).to.equal('35%');
    let detail: UnknownSensitivityDetail | null = null;
    element.addEventListener('tm-unknown-sensitivity-change', (e) => (detail = e.detail));
    slider.value = '0';
    slider.dispatchEvent(new Event('change'));
    expect(detail).to.deep.equal({ sensitivity: 0 });
    element.sensitivity = 0;
    await element.updateComplete;
    expect(slider.getAttribute('aria-valuetext')).to.equal('never');
    await expectNoAxeViolations(element);
  });
});
