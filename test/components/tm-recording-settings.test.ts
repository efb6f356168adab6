import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-recording-settings';
import type { TmRecordingSettings } from '../../components/tm-recording-settings';
import { DEFAULT_RECORDING } from '../../src/app/timed-recording';
import { expectNoAxeViolations } from '../helpers/axe';

const field = (element: TmRecordingSettings, name: string) => element.shadowRoot!.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const hidden = (input: HTMLInputElement) => input.closest('label')!.hidden;

describe('tm-recording-settings', () => {
  it('shows Hold to record on, with only the frame-rate cap, by default', async () => {
    const element = await fixture<TmRecordingSettings>(html`<tm-recording-settings></tm-recording-settings>`);
    const hold = element.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    expect(hold.checked).to.equal(true);
    expect(hidden(field(element, 'countdownSeconds'))).to.equal(true);
    expect(hidden(field(element, 'durationSeconds'))).to.equal(true);
    expect(field(element, 'framesPerSecond').value).to.equal('24');
    await expectNoAxeViolations(element);
  });

  it('turning Hold to record off reports it, and then shows the countdown and duration', async () => {
    const element = await fixture<TmRecordingSettings>(html`<tm-recording-settings></tm-recording-settings>`);
    const hold = element.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    setTimeout(() => hold.click());
    const { detail } = await oneEvent(element, 'tm-recording-settings-change');
    expect(detail.settings).to.deep.equal({ ...DEFAULT_RECORDING, holdToRecord: false });
    element.settings = detail.settings;
    await element.updateComplete;
    expect(hidden(field(element, 'countdownSeconds'))).to.equal(false);
    expect(field(element, 'countdownSeconds').value).to.equal('3');
    expect(field(element, 'durationSeconds').value).to.equal('5');
    await expectNoAxeViolations(element);
  });

  it('reports a number in range and refuses one out of range, saying the range', async () => {
    const element = await fixture<TmRecordingSettings>(html`<tm-recording-settings .settings=${{ ...DEFAULT_RECORDING, holdToRecord: false }}></tm-recording-settings>`);
    const events: unknown[] = [];
    element.addEventListener('tm-recording-settings-change', (e) => events.push(e.detail.settings));
    const duration = field(element, 'durationSeconds');
    duration.value = '61';
    duration.dispatchEvent(new Event('change'));
    expect(events).to.deep.equal([]);
    expect(duration.validationMessage).to.equal('Takes a whole number from 1 to 60.');
    expect(duration.getAttribute('aria-invalid')).to.equal('true');
    duration.value = '10';
    duration.dispatchEvent(new Event('change'));
    expect(events).to.deep.equal([{ ...DEFAULT_RECORDING, holdToRecord: false, durationSeconds: 10 }]);
    expect(duration.getAttribute('aria-invalid')).to.equal('false');
  });
});
