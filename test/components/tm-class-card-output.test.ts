import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-class-card';
import type { ClassOutputDetail, ClassSoundDetail, TmClassCard } from '../../components/tm-class-card';
import '../../components/tm-prediction-settings';
import type { PredictionSettingsDetail, TmPredictionSettings } from '../../components/tm-prediction-settings';
import type { ClassOutput } from '../../src/outputs/class-output';
import { wavFile } from '../helpers/wav';

async function cardFixture(output: ClassOutput = { kind: 'none' }): Promise<TmClassCard> {
  return fixture<TmClassCard>(html`<tm-class-card .classId=${'class-1'} .label=${'Cup'} .output=${output}></tm-class-card>`);
}

const select = (card: TmClassCard) => card.shadowRoot!.querySelector<HTMLSelectElement>('.output select')!;
const soundInput = (card: TmClassCard) => card.shadowRoot!.querySelector<HTMLInputElement>('input.sound-file')!;

function choose(element: HTMLSelectElement, value: string): void {
  element.value = value;
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('tm-class-card output picker', () => {
  it('shows the class output, with an accessible name', async () => {
    const card = await cardFixture({ kind: 'tone', tone: 'chime' });
    expect(select(card).getAttribute('aria-label')).to.equal('Output of Cup');
    expect(select(card).value).to.equal('tone:chime');
    expect([...select(card).options].map((o) => o.textContent!.trim())).to.deep.equal([
      'Nothing',
      'High beep',
      'Low beep',
      'Chime',
      'Sound file…',
      'Say its name',
      'Send to other pages',
    ]);
  });

  it('reports a chosen output, and goes on showing the current one until the app changes it', async () => {
    const card = await cardFixture();
    for (const [value, output] of [
      ['speech', { kind: 'speech' }],
      ['broadcast', { kind: 'broadcast' }],
      ['tone:low', { kind: 'tone', tone: 'low' }],
      ['none', { kind: 'none' }],
    ] as const) {
      const event = oneEvent(card, 'tm-class-output-change') as Promise<CustomEvent<ClassOutputDetail>>;
      choose(select(card), value);
      expect((await event).detail).to.deep.equal({ classId: 'class-1', output });
    }
  });

  it('opens a file picker for a sound, and reports the picked file to be checked', async () => {
    const card = await cardFixture();
    let opened = 0;
    soundInput(card).click = () => opened++;
    choose(select(card), 'sound');
    expect(opened).to.equal(1);
    await card.updateComplete;
    expect(select(card).value).to.equal('none'); // nothing picked yet

    const file = wavFile(0.2, 'ding.wav');
    const transfer = new DataTransfer();
    transfer.items.add(file);
    soundInput(card).files = transfer.files;
    const event = oneEvent(card, 'tm-class-output-sound') as Promise<CustomEvent<ClassSoundDetail>>;
    soundInput(card).dispatchEvent(new Event('change'));
    expect((await event).detail).to.deep.equal({ classId: 'class-1', file });
  });

  it('names the sound it has, offers another, and shows why a file was refused', async () => {
    const card = await cardFixture({ kind: 'sound', name: 'ding.wav', dataUrl: 'data:audio/wav;base64,UklGRg==' });
    expect(select(card).value).to.equal('sound');
    expect(select(card).selectedOptions[0].textContent!.trim()).to.equal('Sound: ding.wav');
    const another = card.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Pick another sound for Cup"]')!;
    let opened = 0;
    soundInput(card).click = () => opened++;
    another.click();
    expect(opened).to.equal(1);
    card.outputProblem = '"song.mp3" lasts 200.0 s; a sound may last at most 10 s.';
    await card.updateComplete;
    expect(card.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal(card.outputProblem);
  });
});

describe('tm-prediction-settings', () => {
  it('reports smoothing, raw values and mute, each with the others unchanged', async () => {
    const settings = await fixture<TmPredictionSettings>(html`<tm-prediction-settings smoothing="low"></tm-prediction-settings>`);
    const root = settings.shadowRoot!;
    const smoothing = root.querySelector('select')!;
    expect(smoothing.value).to.equal('low');
    let event = oneEvent(settings, 'tm-prediction-settings-change') as Promise<CustomEvent<PredictionSettingsDetail>>;
    choose(smoothing, 'high');
    expect((await event).detail).to.deep.equal({ smoothing: 'high', showRaw: false, muted: false });
    const [raw, mute] = [...root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(raw.parentElement!.textContent!.trim()).to.equal('Show raw values');
    expect(mute.parentElement!.textContent!.trim()).to.equal('Mute outputs');
    event = oneEvent(settings, 'tm-prediction-settings-change') as Promise<CustomEvent<PredictionSettingsDetail>>;
    mute.click();
    expect((await event).detail).to.deep.equal({ smoothing: 'low', showRaw: false, muted: true });
    event = oneEvent(settings, 'tm-prediction-settings-change') as Promise<CustomEvent<PredictionSettingsDetail>>;
    raw.click();
    expect((await event).detail).to.deep.equal({ smoothing: 'low', showRaw: true, muted: false });
  });
});
