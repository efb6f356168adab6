import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/tm-record-button';
import type { TmRecordButton } from '../../components/tm-record-button';
import { DEFAULT_RECORDING, type RecordingSettings } from '../../src/app/timed-recording';
import { expectNoAxeViolations } from '../helpers/axe';

const TIMED: RecordingSettings = { ...DEFAULT_RECORDING, holdToRecord: false, countdownSeconds: 1, durationSeconds: 1 };
const innerButton = (element: TmRecordButton) => element.shadowRoot!.querySelector('button')!;
const announced = (element: TmRecordButton) => element.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

/** Every record event reaching `element`, in order. */
function recordEvents(element: TmRecordButton): string[] {
  const seen: string[] = [];
  for (const type of ['tm-record-countdown', 'tm-record-start', 'tm-record-end', 'tm-record-cancel'] as const) {
    element.addEventListener(type, (e) => seen.push(`${type.slice('tm-record-'.length)} ${e.detail.classId}`));
  }
  return seen;
}

describe('tm-record-button, hold to record off', () => {
  it('says what a click does, with the countdown and the duration', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Palm" .settings=${{ ...TIMED, countdownSeconds: 3, durationSeconds: 5 }}></tm-record-button>`);
    expect(innerButton(element).textContent!.trim()).to.equal('Record');
    expect(innerButton(element).getAttribute('aria-label')).to.equal('Record examples of Palm for 5 s after a 3 s countdown');
    expect(announced(element)).to.equal('');
    await expectNoAxeViolations(element);
  });

  it('a click counts down (shown and announced), records for the duration, then ends', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Palm" class-id="class-1" .settings=${TIMED}></tm-record-button>`);
    const seen = recordEvents(element);
    innerButton(element).click();
    await element.updateComplete;
    expect(seen).to.deep.equal(['countdown class-1']);
    expect(innerButton(element).textContent!.trim()).to.equal('Starts in 1…');
    expect(innerButton(element).getAttribute('aria-label')).to.equal('Starts in 1… Press to cancel recording of Palm');
    expect(announced(element)).to.equal('Recording starts in 1');
    await expectNoAxeViolations(element);
    await oneEvent(element, 'tm-record-start');
    await element.updateComplete;
    expect(innerButton(element).textContent!.trim()).to.equal('Recording… 1 s');
    expect(announced(element)).to.equal('Recording');
    await oneEvent(element, 'tm-record-end');
    await element.updateComplete;
    expect(seen).to.deep.equal(['countdown class-1', 'start class-1', 'end class-1']);
    expect(innerButton(element).textContent!.trim()).to.equal('Record');
  });

  it('Escape cancels the countdown: nothing is recorded', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button class-id="class-2" .settings=${TIMED}></tm-record-button>`);
    const seen = recordEvents(element);
    innerButton(element).click();
    innerButton(element).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(seen).to.deep.equal(['countdown class-2', 'cancel class-2']);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(seen).to.deep.equal(['countdown class-2', 'cancel class-2']);
  });

  it('a second click during the recording ends it; disabling ends it too', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button class-id="c" .settings=${{ ...TIMED, countdownSeconds: 0, durationSeconds: 30 }}></tm-record-button>`);
    const seen = recordEvents(element);
    innerButton(element).click();
    await element.updateComplete;
    innerButton(element).click();
    expect(seen).to.deep.equal(['countdown c', 'start c', 'end c']);
    innerButton(element).click();
    element.disabled = true;
    await element.updateComplete;
    expect(seen.slice(3)).to.deep.equal(['countdown c', 'start c', 'end c']);
    await waitUntil(() => !element.counting);
  });

  it('turning Hold to record back on cancels a countdown and shows the hold button', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button class-id="c" .settings=${{ ...TIMED, countdownSeconds: 5 }}></tm-record-button>`);
    const seen = recordEvents(element);
    innerButton(element).click();
    element.settings = DEFAULT_RECORDING;
    await element.updateComplete;
    expect(seen).to.deep.equal(['countdown c', 'cancel c']);
    expect(innerButton(element).textContent!.trim()).to.equal('Hold to record');
  });
});
