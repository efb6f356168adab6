import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../components/tm-record-button';
import type { TmRecordButton } from '../../components/tm-record-button';
import { expectNoAxeViolations } from '../helpers/axe';

const pointer = (type: string, init: PointerEventInit = {}) =>
  new PointerEvent(type, { pointerId: 1, bubbles: true, composed: true, isPrimary: true, button: 0, ...init });
const key = (type: 'keydown' | 'keyup', keyName: string, init: KeyboardEventInit = {}) =>
  new KeyboardEvent(type, { key: keyName, bubbles: true, composed: true, cancelable: true, ...init });

const innerButton = (element: TmRecordButton) => element.shadowRoot!.querySelector('button')!;

/** Counts record-start and record-end reaching the body. */
function countRecordEvents() {
  const counts = { start: 0, end: 0, classIds: [] as string[] };
  const onStart = (event: CustomEvent<{ classId: string }>) => {
    counts.start++;
    counts.classIds.push(event.detail.classId);
  };
  const onEnd = () => counts.end++;
  document.body.addEventListener('tm-record-start', onStart);
  document.body.addEventListener('tm-record-end', onEnd);
  const stop = () => {
    document.body.removeEventListener('tm-record-start', onStart);
    document.body.removeEventListener('tm-record-end', onEnd);
  };
  return { counts, stop };
}

describe('tm-record-button', () => {
  let counter: ReturnType<typeof countRecordEvents>;
  beforeEach(() => (counter = countRecordEvents()));
  afterEach(() => counter.stop());

  it('renders one native button saying what it does, named after the class', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Class 1"></tm-record-button>`);
    const buttons = element.shadowRoot!.querySelectorAll('button');
    expect(buttons.length).to.equal(1);
    const button = buttons[0];
    expect(button.type).to.equal('button');
    expect(button.textContent!.trim()).to.equal('Hold to record');
    expect(button.getAttribute('aria-label')).to.equal('Hold to record examples of Class 1');
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    const style = getComputedStyle(button);
    expect(style.touchAction).to.equal('none');
    expect(style.userSelect).to.equal('none');
  });

  it('has no axe violations idle, recording and disabled', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Class 1"></tm-record-button>`);
    await expectNoAxeViolations(element, 'an idle record button');
    element.recording = true;
    await element.updateComplete;
    await expectNoAxeViolations(element, 'a recording button');
    element.recording = false;
    element.disabled = true;
    await element.updateComplete;
    await expectNoAxeViolations(element, 'a disabled button');
  });

  it('fires record-start on pointerdown and record-end on pointerup, both leaving the shadow root', async () => {
    const element = await fixture<TmRecordButton>(
      html`<tm-record-button label="Cats" class-id="class-7"></tm-record-button>`,
    );
    const started = oneEvent(element, 'tm-record-start');
    innerButton(element).dispatchEvent(pointer('pointerdown'));
    const start = await started;
    expect(start.detail).to.deep.equal({ classId: 'class-7' });
    expect(start.bubbles && start.composed).to.equal(true);
    expect(element.held).to.equal(true);
    await element.updateComplete;
    expect(innerButton(element).getAttribute('aria-pressed')).to.equal('true');
    expect(innerButton(element).textContent!.trim()).to.equal('Recording…');

    const ended = oneEvent(element, 'tm-record-end');
    innerButton(element).dispatchEvent(pointer('pointerup'));
    expect((await ended).detail).to.deep.equal({ classId: 'class-7' });
    await element.updateComplete;
    expect(innerButton(element).getAttribute('aria-pressed')).to.equal('false');
    expect(innerButton(element).textContent!.trim()).to.equal('Hold to record');
    expect(counter.counts).to.deep.include({ start: 1, end: 1 });
  });

  it('ends a hold with the classId it started with', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button class-id="a"></tm-record-button>`);
    innerButton(element).dispatchEvent(pointer('pointerdown'));
    element.classId = 'b';
    const ended = oneEvent(element, 'tm-record-end');
    innerButton(element).dispatchEvent(pointer('pointerup'));
    expect((await ended).detail.classId).to.equal('a');
  });

  it('holds from the keyboard: Space starts once despite repeats, keyup ends', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Cats"></tm-record-button>`);
    const button = innerButton(element);
    button.dispatchEvent(key('keydown', ' '));
    button.dispatchEvent(key('keydown', ' ', { repeat: true }));
    button.dispatchEvent(key('keydown', ' ', { repeat: true }));
    expect(counter.counts).to.deep.include({ start: 1, end: 0 });
    button.dispatchEvent(key('keyup', ' '));
    expect(counter.counts).to.deep.include({ start: 1, end: 1 });
  });

  it('ends the hold when the button loses focus', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Cats"></tm-record-button>`);
    const button = innerButton(element);
    button.focus();
    button.dispatchEvent(key('keydown', 'Enter'));
    const ended = oneEvent(element, 'tm-record-end');
    button.blur();
    await ended;
    expect(counter.counts).to.deep.include({ start: 1, end: 1 });
  });

  it('ends the hold when it becomes disabled, and a disabled button cannot be held', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button label="Cats"></tm-record-button>`);
    innerButton(element).dispatchEvent(pointer('pointerdown'));
    const ended = oneEvent(element, 'tm-record-end');
    element.disabled = true;
    await ended;
    await element.updateComplete;
    expect(innerButton(element).disabled).to.equal(true);
    expect(innerButton(element).getAttribute('aria-pressed')).to.equal('false');
    // The pointer that was down goes up later: nothing more is fired.
    innerButton(element).dispatchEvent(pointer('pointerup'));
    expect(counter.counts).to.deep.include({ start: 1, end: 1 });
  });

  it('release() ends a hold from outside', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button></tm-record-button>`);
    innerButton(element).dispatchEvent(key('keydown', ' '));
    element.release();
    element.release();
    expect(counter.counts).to.deep.include({ start: 1, end: 1 });
  });

  it('shows the recording state set by the app', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button recording></tm-record-button>`);
    expect(innerButton(element).textContent!.trim()).to.equal('Recording…');
    expect(innerButton(element).getAttribute('aria-pressed'), 'pressed is about the hold only').to.equal('false');
  });

  it('puts a label containing HTML in the accessible name as text', async () => {
    const label = '<img src=x onerror=alert(1)>';
    const element = await fixture<TmRecordButton>(html`<tm-record-button .label=${label}></tm-record-button>`);
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
    expect(innerButton(element).getAttribute('aria-label')).to.equal(`Hold to record examples of ${label}`);
  });

  it('keeps record events balanced under random mashing', async () => {
    const element = await fixture<TmRecordButton>(html`<tm-record-button></tm-record-button>`);
    const button = innerButton(element);
    let seed = 99;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const actions = [
      () => button.dispatchEvent(pointer('pointerdown')),
      () => button.dispatchEvent(pointer('pointerup')),
      () => button.dispatchEvent(pointer('pointercancel')),
      () => button.dispatchEvent(key('keydown', ' ')),
      () => button.dispatchEvent(key('keydown', ' ', { repeat: true })),
      () => button.dispatchEvent(key('keyup', ' ')),
      () => button.dispatchEvent(key('keydown', 'Enter')),
      () => button.dispatchEvent(key('keyup', 'Enter')),
      () => (element.disabled = !element.disabled),
    ];
    for (let i = 0; i < 500; i++) {
      actions[Math.floor(random() * actions.length)]();
      if (i % 25 === 0) await element.updateComplete;
      expect(counter.counts.start - counter.counts.end, `after step ${i}`).to.be.oneOf([0, 1]);
    }
    element.release();
    expect(counter.counts.start).to.be.greaterThan(10);
    expect(counter.counts.start).to.equal(counter.counts.end);
  });

  describe('with real input', () => {
    afterEach(() => resetMouse());

    it('keeps a mouse hold when the pointer slides off, and ends it on release elsewhere', async () => {
      const element = await fixture<TmRecordButton>(html`<tm-record-button label="Cats"></tm-record-button>`);
      const box = innerButton(element).getBoundingClientRect();
      await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
      await sendMouse({ type: 'down' });
      expect(element.held).to.equal(true);
      await sendMouse({ type: 'move', position: [Math.round(box.right + 200), Math.round(box.bottom + 200)] });
      await aTimeout(50);
      expect(element.held, 'sliding off does not end the hold').to.equal(true);
      await sendMouse({ type: 'up' });
      await aTimeout(0);
      expect(element.held).to.equal(false);
      expect(counter.counts).to.deep.include({ start: 1, end: 1 });
    });

    it('records while Space or Enter is held, once per press', async () => {
      const element = await fixture<TmRecordButton>(html`<tm-record-button label="Cats"></tm-record-button>`);
      innerButton(element).focus();
      await sendKeys({ down: ' ' });
      expect(element.held).to.equal(true);
      await sendKeys({ up: ' ' });
      expect(element.held).to.equal(false);
      await sendKeys({ press: 'Enter' });
      // Had the click that Enter produces counted as a press, this would be 3 starts or a hold left open.
      expect(counter.counts).to.deep.include({ start: 2, end: 2 });
      expect(element.held).to.equal(false);
    });
  });
});
