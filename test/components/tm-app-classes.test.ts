import { expect, waitUntil } from '@open-wc/testing';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import type { TmModeBars } from '../../components/tm-mode-bars';
import { canvasStream } from '../helpers/canvas-stream';

/** Moving classes, turning them off and refusing a taken name, in the whole app. */
describe('<tm-app> classes', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let app: TmApp;

  beforeEach(async () => {
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-classes-${Math.random()}`;
    document.body.append(app);
    await app.updateComplete;
  });

  afterEach(() => {
    app.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  const cards = () => [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll<TmClassCard>('tm-class-card')];
  const notices = () => [...app.shadowRoot!.querySelectorAll('.notice')].map((n) => n.textContent!.trim().replace(/×$/, ''));
  const handle = (card: TmClassCard) => card.shadowRoot!.querySelector<HTMLButtonElement>('button.handle')!;

  it('the arrow keys move a class; its card keeps the focus and says where it is', async () => {
    app.teachable.addClass('Fist');
    await app.updateComplete;
    const fist = cards()[2];
    handle(fist).focus();
    handle(fist).dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true, composed: true, cancelable: true }));
    await app.updateComplete;
    await fist.updateComplete;
    await fist.updateComplete;
    expect(app.teachable.classes.map((c) => c.label)).to.deep.equal(['Fist', 'Class 1', 'Class 2']);
    expect(cards()[0], 'the same card, moved').to.equal(fist);
    expect(cards().map((c) => c.position)).to.deep.equal([0, 1, 2]);
    expect(fist.shadowRoot!.activeElement).to.equal(handle(fist));
    expect(fist.shadowRoot!.querySelector('.announce')!.textContent).to.equal('Fist moved to position 1 of 3.');
  });

  it('dragging a class onto another moves it there', async () => {
    const [first, second] = app.teachable.classes;
    const transfer = new DataTransfer();
    handle(cards()[1]).dispatchEvent(new DragEvent('dragstart', { dataTransfer: transfer, bubbles: true, composed: true }));
    cards()[0].shadowRoot!.querySelector('.card')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true }));
    await app.updateComplete;
    expect(app.teachable.classes.map((c) => c.id)).to.deep.equal([second.id, first.id]);
  });

  it('a name another class has is refused with a message, and the card shows its own name again', async () => {
    const input = cards()[1].shadowRoot!.querySelector<HTMLInputElement>('.header input')!;
    input.value = 'class 1';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
    await app.updateComplete;
    await cards()[1].updateComplete;
    expect(notices()).to.include('There is already a class called "class 1": pick another name.');
    expect(app.teachable.classes.map((c) => c.label)).to.deep.equal(['Class 1', 'Class 2']);
    expect(input.value).to.equal('Class 2');
  });

  it('"Use in predictions" off: the class is off, its card and its bar say so, and it is saved', async () => {
    const [, second] = app.teachable.classes;
    cards()[1].shadowRoot!.querySelector<HTMLButtonElement>('tm-menu [role="menuitemcheckbox"]')!.click();
    await app.updateComplete;
    expect(app.teachable.enabledClasses.map((c) => c.id)).to.not.include(second.id);
    expect(cards()[1].off).to.equal(true);
    const bars = app.shadowRoot!.querySelector<TmModeBars>('tm-mode-bars')!;
    await bars.updateComplete;
    const knnBars = bars.shadowRoot!.querySelector<TmConfidenceBars>('tm-confidence-bars')!;
    await knnBars.updateComplete;
    await waitUntil(() => knnBars.shadowRoot!.querySelector(`li[data-class-id="${second.id}"].off`), 'the bar does not say the class is off');
    expect(app.teachable.savedState().classes[1].disabled).to.equal(true);
  });
});
