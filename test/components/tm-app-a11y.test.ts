import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { AppConfig } from '../../src/platform/config';
import { expectNoAxeViolations } from '../helpers/axe';
import { inFirefox, itExceptInFirefox } from '../helpers/browser';
import { canvasStream } from '../helpers/canvas-stream';

/** The whole app by keyboard, screen reader (axe), reduced motion, a 320 px screen and touch. */

/** Every element under `root`, through open shadow roots. */
function deepElements(root: Element | ShadowRoot): Element[] {
  const found: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    found.push(el);
    if (el.shadowRoot) found.push(...deepElements(el.shadowRoot));
  }
  return found;
}

function deepActiveElement(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

const describeControl = (el: Element) =>
  `${el.localName}${el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''} "${el.getAttribute('aria-label') ?? el.textContent?.trim().replace(/\s+/g, ' ') ?? ''}"`;

/** Controls a person can use now: enabled, rendered, and not hidden. */
function usableControls(app: TmApp): Element[] {
  return deepElements(app.shadowRoot!).filter(
    (el) =>
      el.matches('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])') &&
      !el.matches(':disabled') &&
      el.checkVisibility() &&
      el.getClientRects().length > 0,
  );
}

/** Shows the app's notice line (with its Dismiss button) as the app does for a passing problem. */
function showNotice(app: TmApp): void {
  (app as unknown as { notices: { add(message: string): void } }).notices.add('A notice, e.g. that an output could not play.');
}

describe('<tm-app> accessibility', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let app: TmApp;
  let mirror: string | null;

  before(async () => {
    mirror = ((await (await fetch('/app-config.json')).json()) as AppConfig).modelMirror;
  });

  const sentinels: HTMLElement[] = [];

  afterEach(async () => {
    app?.remove();
    for (const el of sentinels.splice(0)) el.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    if (!inFirefox) await emulateMedia({ reducedMotion: 'no-preference' });
    await setViewport({ width: 800, height: 600 });
  });

  async function mount({ ready }: { ready: boolean }): Promise<TmApp> {
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-a11y-${Math.random()}`;
    document.body.append(app);
    await app.updateComplete;
    const webcam = app.shadowRoot!.querySelector('tm-webcam')!;
    await waitUntil(() => webcam.video !== null, 'the camera never ran', { timeout: 10000 });
    if (ready) await waitUntil(() => app.teachable.embedder !== null, 'the model never loaded', { timeout: 60000 });
    await app.updateComplete;
    return app;
  }

  it('has no axe violations while the model loads and once it is ready', async function () {
    await mount({ ready: false });
    await expectNoAxeViolations(app, 'the app while loading');
    if (!mirror) return;
    await waitUntil(() => app.teachable.embedder !== null, 'the model never loaded', { timeout: 60000 });
    await app.updateComplete;
    await expectNoAxeViolations(app, 'the ready app');
  });

  it('has no axe violations as a whole page (landmarks, headings) as index.html hosts it', async () => {
    // index.html: <html lang="en">, a title, and <tm-app> alone in the body.
    document.documentElement.lang = 'en';
    document.title = 'Teachable k-NN';
    await mount({ ready: false });
    const others = [...document.body.children].filter((el) => el !== app && !(el instanceof HTMLScriptElement));
    for (const el of others) el.setAttribute('hidden', '');
    try {
      await expectNoAxeViolations(document, 'the page');
      showNotice(app);
      await app.updateComplete;
      await expectNoAxeViolations(document, 'the page with a notice');
    } finally {
      for (const el of others) el.removeAttribute('hidden');
    }
  });

  it('reaches every control with Tab, each showing a visible focus ring, and records while Space is held', async function () {
    if (!mirror) this.skip();
    await mount({ ready: true });
    // Tab stops once in a radio group, on its checked radio; arrow keys move within it.
    const expected = usableControls(app).filter((el) => !el.matches('input[type="radio"]:not(:checked)'));
    const reached: Element[] = [];
    const noRing: string[] = [];
    const inApp = new Set(deepElements(app.shadowRoot!));
    // Buttons before and after the app, so Tab never leaves the page: focus that leaves it in headless Chromium does
    // not come back, and later test files would get no focus or blur events.
    const before = Object.assign(document.createElement('button'), { textContent: 'before the app' });
    const after = Object.assign(document.createElement('button'), { textContent: 'after the app' });
    app.before(before);
    app.after(after);
    sentinels.push(before, after);
    before.focus();
    for (let i = 0; i < expected.length + 5; i++) {
      await sendKeys({ press: 'Tab' });
      const el = deepActiveElement();
      if (el === after || !el || !inApp.has(el)) break; // past the app's last control
      if (reached.includes(el)) break;
      reached.push(el);
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      if (!el.matches(':focus-visible') || !ring) noRing.push(describeControl(el));
    }
    const missed = expected.filter((el) => !reached.includes(el)).map(describeControl);
    expect(missed, 'controls Tab never reaches').to.deep.equal([]);
    expect(noRing, 'controls without a visible focus ring').to.deep.equal([]);
    const recordButtons = reached.filter((el) => el.getAttribute('aria-label')?.startsWith('Hold to record'));
    expect(recordButtons.length).to.equal(app.teachable.classes.length);

    // Back to the first record button with Shift+Tab, then hold Space on it.
    const [first] = app.teachable.classes;
    await sendKeys({ down: 'Shift' });
    for (let i = 0; i < reached.length && deepActiveElement() !== recordButtons[0]; i++) await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(deepActiveElement() === recordButtons[0], 'Shift+Tab did not go back to the first record button').to.equal(true);
    // ' ' is the Space key in both drivers' key tables (puppeteer's WebDriver BiDi keyboard has no 'Space').
    await sendKeys({ down: ' ' });
    await waitUntil(() => app.teachable.exampleCount(first.id) >= 2, 'holding Space recorded nothing', { timeout: 20000 });
    await sendKeys({ up: ' ' });
    const count = app.teachable.exampleCount(first.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.teachable.exampleCount(first.id)).to.be.at.most(count + 1);
  });

  itExceptInFirefox('WebDriver BiDi has no prefers-reduced-motion emulation', 'stops every transition and animation with prefers-reduced-motion', async () => {
    await mount({ ready: false });
    const moving = () =>
      deepElements(app.shadowRoot!)
        .filter((el) => {
          const style = getComputedStyle(el);
          const seconds = (list: string) => list.split(',').some((d) => parseFloat(d) > 0);
          return seconds(style.transitionDuration) || (style.animationName !== 'none' && seconds(style.animationDuration));
        })
        .map(describeControl);
    // The loading bar and the buttons move without the preference: the check can see motion.
    expect(moving().length).to.be.greaterThan(0);
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(moving()).to.deep.equal([]);
  });

  it('fits a 320 px wide screen without sideways scrolling, with record buttons at least 44 px tall', async function () {
    await setViewport({ width: 320, height: 640 });
    await mount({ ready: Boolean(mirror) });
    if (mirror) {
      // A class with a full row of thumbnails: the widest a card gets.
      const [first] = app.teachable.classes;
      const thumbnail = () => 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      for (let i = 0; i < 8; i++) await app.teachable.processFrame(new ImageData(224, 224), first.id, thumbnail);
      app.requestUpdate();
      await app.updateComplete;
      const card = app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelector('tm-class-card')!;
      await card.updateComplete;
      expect(card.shadowRoot!.querySelectorAll('.thumbs img').length, 'thumbnails shown').to.be.greaterThan(3);
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    const overflowing = deepElements(app.shadowRoot!)
      .filter((el) => el.checkVisibility() && el.getBoundingClientRect().right > 320.5)
      .map(describeControl);
    expect(overflowing, 'elements past the right edge').to.deep.equal([]);
    const recordButtons = usableControls(app).filter((el) => el.getAttribute('aria-label')?.startsWith('Hold to record'));
    expect(recordButtons.length).to.be.greaterThan(0);
    for (const button of recordButtons) expect(button.getBoundingClientRect().height).to.be.at.least(44);
    // A notice with its Dismiss button is checked too.
    showNotice(app);
    await app.updateComplete;
    expect(app.shadowRoot!.querySelector('.notice')?.textContent).to.contain('A notice');
    // Every other control meets WCAG 2.2's minimum target size (24 x 24 CSS px).
    const small = usableControls(app)
      .filter((el) => {
        const { width, height } = el.getBoundingClientRect();
        return width < 24 || height < 24;
      })
      .map((el) => `${describeControl(el)} ${Math.round(el.getBoundingClientRect().width)} x ${Math.round(el.getBoundingClientRect().height)}`);
    expect(small, 'controls smaller than 24 x 24 px').to.deep.equal([]);
    await expectNoAxeViolations(app, 'the app at 320 px');
  });

  it('records while a finger holds a class button (touch pointer events)', async function () {
    if (!mirror) this.skip();
    await mount({ ready: true });
    const [first] = app.teachable.classes;
    const button = usableControls(app).find((el) => el.getAttribute('aria-label')?.startsWith('Hold to record'))!;
    expect(getComputedStyle(button).touchAction).to.equal('none');
    const touch = (type: string) =>
      new PointerEvent(type, { pointerId: 7, pointerType: 'touch', isPrimary: true, button: 0, bubbles: true, composed: true });
    button.dispatchEvent(touch('pointerdown'));
    await waitUntil(() => app.teachable.exampleCount(first.id) >= 2, 'a touch hold recorded nothing', { timeout: 20000 });
    // A long press must not open the context menu (which would cancel the touch).
    const menu = new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true });
    button.dispatchEvent(menu);
    expect(menu.defaultPrevented).to.equal(true);
    button.dispatchEvent(touch('pointerup'));
    await app.updateComplete;
    const count = app.teachable.exampleCount(first.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.teachable.exampleCount(first.id)).to.be.at.most(count + 1);
  });
});
