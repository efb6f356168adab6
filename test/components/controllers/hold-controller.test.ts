import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { HoldController } from '../../../components/controllers/hold-controller';

/** A minimal host that counts the controller's callbacks and renders its state. */
@customElement('test-hold-host')
class TestHoldHost extends LitElement {
  starts = 0;
  ends = 0;
  /** Called from inside onStart, to test re-entrant release. */
  onStartHook: (() => void) | null = null;
  readonly hold = new HoldController(this, {
    onStart: () => {
      this.starts++;
      this.onStartHook?.();
    },
    onEnd: () => this.ends++,
  });

  get button(): HTMLButtonElement {
    return this.renderRoot.querySelector('button')!;
  }

  protected override render() {
    return html`<button type="button" ${ref(this.hold.attach)}>${this.hold.held ? 'held' : 'idle'}</button>`;
  }
}

/** A host that attaches the controller itself instead of through ref(), so nothing detaches it on disconnect. */
@customElement('test-hold-manual-host')
class TestHoldManualHost extends LitElement {
  ends = 0;
  readonly hold = new HoldController(this, { onStart: () => {}, onEnd: () => this.ends++ });

  protected override firstUpdated(): void {
    this.hold.attach(this.renderRoot.querySelector('button'));
  }

  protected override render() {
    return html`<button type="button">Hold</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'test-hold-host': TestHoldHost;
    'test-hold-manual-host': TestHoldManualHost;
  }
}

const pointer = (type: string, init: PointerEventInit = {}) =>
  new PointerEvent(type, { pointerId: 1, bubbles: true, composed: true, isPrimary: true, button: 0, ...init });
const key = (type: 'keydown' | 'keyup', keyName: string, init: KeyboardEventInit = {}) =>
  new KeyboardEvent(type, { key: keyName, bubbles: true, composed: true, cancelable: true, ...init });

async function hostFixture(): Promise<TestHoldHost> {
  return fixture<TestHoldHost>(html`<test-hold-host></test-hold-host>`);
}

describe('HoldController', () => {
  it('starts on a primary pointerdown and ends on pointerup, requesting a render each time', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(pointer('pointerdown'));
    expect(host.hold.held).to.equal(true);
    expect([host.starts, host.ends]).to.deep.equal([1, 0]);
    await host.updateComplete;
    expect(host.button.textContent).to.equal('held');
    host.button.dispatchEvent(pointer('pointerup'));
    expect(host.hold.held).to.equal(false);
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
    await host.updateComplete;
    expect(host.button.textContent).to.equal('idle');
  });

  it('ignores secondary mouse buttons and other pointers during a hold', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(pointer('pointerdown', { button: 2 }));
    expect(host.starts).to.equal(0);
    host.button.dispatchEvent(pointer('pointerdown'));
    host.button.dispatchEvent(pointer('pointerdown', { pointerId: 2, isPrimary: false }));
    host.button.dispatchEvent(pointer('pointerup', { pointerId: 2, isPrimary: false }));
    expect(host.hold.held, 'another finger lifting does not end the hold').to.equal(true);
    host.button.dispatchEvent(pointer('pointerup'));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  for (const ending of ['pointercancel', 'lostpointercapture'] as const) {
    it(`ends on ${ending}`, async () => {
      const host = await hostFixture();
      host.button.dispatchEvent(pointer('pointerdown'));
      host.button.dispatchEvent(pointer(ending));
      expect(host.hold.held).to.equal(false);
      expect(host.ends).to.equal(1);
    });
  }

  it('ends when the pointer is released away from the button (pointerup reaching the window)', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(pointer('pointerdown'));
    document.body.dispatchEvent(pointer('pointerup'));
    expect(host.hold.held).to.equal(false);
    expect(host.ends).to.equal(1);
  });

  it('holds with Space, ignores key repeats, and ends on keyup of that key', async () => {
    const host = await hostFixture();
    const down = key('keydown', ' ');
    host.button.dispatchEvent(down);
    expect(down.defaultPrevented, 'Space must not scroll or click').to.equal(true);
    host.button.dispatchEvent(key('keydown', ' ', { repeat: true }));
    host.button.dispatchEvent(key('keydown', ' ', { repeat: true }));
    expect([host.starts, host.ends]).to.deep.equal([1, 0]);
    host.button.dispatchEvent(key('keyup', 'Enter'));
    expect(host.hold.held, 'another key going up does not end the hold').to.equal(true);
    host.button.dispatchEvent(key('keyup', ' '));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('belongs to the key that started it: a second hold key does not take it over', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(key('keydown', ' '));
    const enter = key('keydown', 'Enter');
    host.button.dispatchEvent(enter);
    expect(enter.defaultPrevented, 'the second key still must not click').to.equal(true);
    host.button.dispatchEvent(key('keyup', ' '));
    expect(host.hold.held).to.equal(false);
    host.button.dispatchEvent(key('keyup', 'Enter'));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('holds with Enter and ignores other keys', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(key('keydown', 'a'));
    host.button.dispatchEvent(key('keydown', 'Tab'));
    expect(host.starts).to.equal(0);
    host.button.dispatchEvent(key('keydown', 'Enter'));
    expect(host.hold.held).to.equal(true);
    host.button.dispatchEvent(key('keyup', 'Enter'));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('ends on blur', async () => {
    const host = await hostFixture();
    host.button.focus();
    host.button.dispatchEvent(key('keydown', ' '));
    host.button.blur();
    expect(host.hold.held).to.equal(false);
    expect(host.ends).to.equal(1);
    // The key that was down when focus left does not start a new hold by repeating.
    host.button.dispatchEvent(key('keydown', ' ', { repeat: true }));
    host.button.dispatchEvent(key('keyup', ' '));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('ends when the host is disconnected', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(pointer('pointerdown'));
    host.remove();
    expect(host.hold.held).to.equal(false);
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('ends when the host is disconnected, even if the element stays attached', async () => {
    const host = await fixture<TestHoldManualHost>(html`<test-hold-manual-host></test-hold-manual-host>`);
    host.renderRoot.querySelector('button')!.dispatchEvent(key('keydown', 'Enter'));
    expect(host.hold.held).to.equal(true);
    host.remove();
    expect(host.hold.held).to.equal(false);
    expect(host.ends).to.equal(1);
  });

  it('release() ends a hold once, and the still-pressed inputs cannot end it again', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(pointer('pointerdown'));
    host.button.dispatchEvent(key('keydown', 'Enter'));
    host.hold.release();
    host.hold.release();
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
    host.button.dispatchEvent(pointer('pointerup'));
    host.button.dispatchEvent(key('keyup', 'Enter'));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('stays balanced when onStart itself releases the hold', async () => {
    const host = await hostFixture();
    host.onStartHook = () => host.hold.release();
    host.button.dispatchEvent(pointer('pointerdown'));
    expect(host.hold.held).to.equal(false);
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('keeps one hold while pointer and key overlap, ending when the last is let go', async () => {
    const host = await hostFixture();
    host.button.dispatchEvent(pointer('pointerdown'));
    host.button.dispatchEvent(key('keydown', ' '));
    host.button.dispatchEvent(pointer('pointerup'));
    expect(host.hold.held).to.equal(true);
    expect(host.starts).to.equal(1);
    host.button.dispatchEvent(key('keyup', ' '));
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
  });

  it('prevents the click that follows a press, and the context menu of a long touch', async () => {
    const host = await hostFixture();
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    host.button.dispatchEvent(click);
    host.button.dispatchEvent(menu);
    expect(click.defaultPrevented).to.equal(true);
    expect(menu.defaultPrevented).to.equal(true);
    expect(host.starts, 'a click alone is not a hold').to.equal(0);
  });

  it('stops listening to an element it is detached from, ending its hold', async () => {
    const host = await hostFixture();
    const button = host.button;
    button.dispatchEvent(pointer('pointerdown'));
    host.hold.attach(undefined);
    expect([host.starts, host.ends]).to.deep.equal([1, 1]);
    button.dispatchEvent(pointer('pointerdown'));
    expect(host.starts).to.equal(1);
  });

  it('keeps starts and ends balanced under random mashing of every input', async () => {
    const host = await hostFixture();
    // A fixed-seed generator, so a failure reproduces.
    let seed = 12345;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const actions: (() => void)[] = [
      () => host.button.dispatchEvent(pointer('pointerdown')),
      () => host.button.dispatchEvent(pointer('pointerdown', { pointerId: 2, isPrimary: false })),
      () => host.button.dispatchEvent(pointer('pointerup')),
      () => host.button.dispatchEvent(pointer('pointerup', { pointerId: 2 })),
      () => host.button.dispatchEvent(pointer('pointercancel')),
      () => host.button.dispatchEvent(pointer('lostpointercapture')),
      () => document.body.dispatchEvent(pointer('pointerup')),
      () => host.button.dispatchEvent(key('keydown', ' ')),
      () => host.button.dispatchEvent(key('keydown', ' ', { repeat: true })),
      () => host.button.dispatchEvent(key('keyup', ' ')),
      () => host.button.dispatchEvent(key('keydown', 'Enter')),
      () => host.button.dispatchEvent(key('keyup', 'Enter')),
      () => host.button.dispatchEvent(new FocusEvent('blur')),
      () => host.hold.release(),
    ];
    let sawOverlap = false;
    for (let i = 0; i < 2000; i++) {
      actions[Math.floor(random() * actions.length)]();
      const open = host.starts - host.ends;
      expect(open, `after step ${i}`).to.be.oneOf([0, 1]);
      expect(host.hold.held).to.equal(open === 1);
      if (open === 1) sawOverlap = true;
    }
    host.hold.release();
    expect(sawOverlap).to.equal(true);
    expect(host.starts).to.be.greaterThan(50);
    expect(host.starts).to.equal(host.ends);
  });
});
