import { expect, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmMenu } from '../../components/tm-menu';
import type { TmWebcam } from '../../components/tm-webcam';
import { expectNoAxeViolations } from '../helpers/axe';

/**
 * The page at phone, tablet and desktop widths, with three classes recorded from real webcam frames through the
 * real model: nothing scrolls sideways, the camera preview stays in view while each class's record button is
 * held, and axe finds nothing.
 */

const DATASET = '/datasets/webcam-hand-gestures';
const CLASSES = ['palm', 'up', 'down'];
const PER_CLASS = 6;
const WIDTHS = [320, 375, 768, 1280];
const HEIGHT = 720;

async function imagesOf(folder: string): Promise<HTMLImageElement[]> {
  const csv = await (await fetch(`${DATASET}/frames.csv`)).text();
  const urls = csv
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter((file) => file?.startsWith(`${folder}/`))
    .sort()
    .slice(0, PER_CLASS);
  return Promise.all(
    urls.map(async (file) => {
      const image = new Image();
      image.src = `${DATASET}/${file}`;
      await image.decode();
      return image;
    }),
  );
}

/** Elements (shadow roots included) that reach past the window's right edge, for the failure message. */
function tooWide(root: Element | ShadowRoot): string[] {
  return [...root.querySelectorAll('*')].flatMap((element) => {
    const right = element.getBoundingClientRect().right;
    const own = right > innerWidth + 1 ? [`<${element.localName} class="${element.getAttribute('class') ?? ''}"> to ${Math.round(right)}`] : [];
    return [...own, ...(element.shadowRoot ? tooWide(element.shadowRoot) : [])];
  });
}

/** Buttons, selects and number fields (shadow roots included) that are drawn at least 2 px wide, as `what (w x h)`. */
function controls(root: Element | ShadowRoot): { element: HTMLElement; what: string }[] {
  return [...root.querySelectorAll<HTMLElement>('*')].flatMap((element) => {
    const r = element.getBoundingClientRect();
    const own =
      element.matches('button, select, input[type="number"]') && r.width > 1 && r.height > 1
        ? [{ element, what: `<${element.localName}> "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}` }]
        : [];
    return [...own, ...(element.shadowRoot ? controls(element.shadowRoot) : [])];
  });
}

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
};

function inner<T extends Element>(root: Element, selector: string): T {
  const found = root.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} inside <${root.localName}>`);
  return found;
}

describe('the layout from 320 px to 1280 px, with three classes recorded', function () {
  let app: TmApp;
  let images: HTMLImageElement[][];
  let shown: HTMLImageElement | null = null;
  let painting = 0;
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });

  before(async function () {
    const config = (await (await fetch('/app-config.json')).json()) as { modelMirror: string | null };
    if (!config.modelMirror || !(await fetch(`${DATASET}/frames.csv`)).ok) {
      console.warn('Skipping the layout test: it needs ../shared/models and ../shared/datasets, which are absent.');
      this.skip();
    }
    images = await Promise.all(CLASSES.map(imagesOf));
    const stream = canvas.captureStream(30);
    let tick = 0;
    const paint = () => {
      const context = canvas.getContext('2d')!;
      if (shown) context.drawImage(shown, 0, 0, 320, 240);
      context.fillStyle = tick++ % 2 ? '#000' : '#010101'; // every frame a new one for the capture
      context.fillRect(0, 0, 1, 1);
      painting = requestAnimationFrame(paint);
    };
    paint();
    navigator.mediaDevices.getUserMedia = async () => stream;
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    document.body.style.margin = '0';
    app = document.createElement('tm-app');
    app.databaseName = `layout-${Date.now()}`;
    document.body.append(app);
    await waitUntil(() => app.teachable.embedder !== null, 'the model never loaded', { timeout: 60000 });
    await waitUntil(() => inner<TmWebcam>(app, 'tm-webcam').video, 'the camera never started', { timeout: 20000 });
    app.teachable.addClass();
    await app.updateComplete;
  });

  after(async () => {
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    cancelAnimationFrame(painting);
    app?.remove();
    document.body.style.margin = '';
    await setViewport({ width: 800, height: 600 });
  });

  const cards = () => [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll<TmClassCard>('tm-class-card')];
  const recordButton = (card: TmClassCard) => inner<HTMLButtonElement>(inner(card, 'tm-record-button'), 'button');

  /** Where `element` is, and whether all of it is inside the window. */
  const inView = (element: Element) => {
    const r = element.getBoundingClientRect();
    const whole = r.width > 0 && r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
    return { whole, at: `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)} in ${innerWidth}x${innerHeight}` };
  };

  for (const width of WIDTHS) {
    it(`at ${width} px: no sideways scroll, the preview in view while each class records, and no axe violations`, async () => {
      await setViewport({ width, height: HEIGHT });
      await frames(3);
      const video = inner<TmWebcam>(app, 'tm-webcam').video!;
      for (const [index, card] of cards().entries()) {
        const button = recordButton(card);
        // As a user would: scroll the button into view, then hold it.
        button.scrollIntoView({ block: 'end' });
        await frames(2);
        const before = app.teachable.exampleCount(card.classId);
        shown = images[index][0];
        await frames(2);
        button.dispatchEvent(new PointerEvent('pointerdown', { pointerId: 1, bubbles: true, isPrimary: true, button: 0 }));
        for (const image of images[index]) {
          shown = image;
          await frames(3);
          const preview = inView(video);
          expect(preview.whole, `the preview while "${card.label}" records: ${preview.at}`).to.equal(true);
          const held = inView(button);
          expect(held.whole, `the held button of "${card.label}": ${held.at}`).to.equal(true);
          // And the sticky preview does not cover the button being held.
          const v = video.getBoundingClientRect();
          const b = button.getBoundingClientRect();
          const overlaps = b.top < v.bottom && b.bottom > v.top && b.left < v.right && b.right > v.left;
          expect(overlaps, `the preview covers the button of "${card.label}"`).to.equal(false);
        }
        button.dispatchEvent(new PointerEvent('pointerup', { pointerId: 1, bubbles: true, isPrimary: true, button: 0 }));
        await frames(3);
        expect(app.teachable.exampleCount(card.classId), `examples of "${card.label}"`).to.be.greaterThan(before);
      }
      await app.updateComplete;
      await frames(2);
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth > innerWidth) console.log(`too wide at ${width}: ${tooWide(document.body).join(' | ')}`);
      expect(scrollWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`).to.be.at.most(innerWidth);
      for (const card of cards()) {
        const r = card.getBoundingClientRect();
        expect(r.right, `the card of "${card.label}" ends at ${r.right}`).to.be.at.most(innerWidth);
      }
      await expectNoAxeViolations(app, `the app at ${width} px`);
    });

    it(`at ${width} px: compact class cards, a menu of each card's actions in the window, and touch-sized controls on a phone`, async () => {
      await setViewport({ width, height: HEIGHT });
      await frames(3);
      const phone = width < 760;
      // A phone showed one card a screen before: now several fit under the camera's strip.
      for (const card of cards()) {
        const height = card.getBoundingClientRect().height;
        // Three rows: the name and its menu, the count and thumbnails, the record button (beside them when wide).
        expect(height, `the card of "${card.label}" at ${width} px`).to.be.at.most(200);
      }
      const card = cards()[1];
      card.scrollIntoView({ block: 'center' });
      const menu = inner<TmMenu>(card, 'tm-menu');
      await menu.toggle(false);
      inner<HTMLButtonElement>(menu, 'button.trigger').click();
      await menu.updateComplete;
      await frames(2);
      expect(menu.isOpen).to.equal(true);
      const popup = inner(menu, '[role="menu"]').getBoundingClientRect();
      expect(popup.left, 'the menu starts inside the window').to.be.at.least(0);
      expect(popup.right, 'the menu ends inside the window').to.be.at.most(innerWidth);
      expect(document.documentElement.scrollWidth, 'no sideways scroll with the menu open').to.be.at.most(innerWidth);
      await expectNoAxeViolations(app, `the app at ${width} px with a card's menu open`);
      if (phone) {
        const small = controls(app.shadowRoot!).filter(({ element }) => {
          const r = element.getBoundingClientRect();
          return r.height < 44 || r.width < 44;
        });
        expect(small.map((c) => c.what), `controls under 44 x 44 px at ${width} px`).to.deep.equal([]);
      }
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      await menu.updateComplete;
      expect(menu.isOpen, 'a press outside closes it').to.equal(false);
    });
  }

  it('reaches every class\'s record button from the skip link with the arrow keys', async () => {
    await setViewport({ width: 375, height: HEIGHT });
    const skip = inner<HTMLButtonElement>(app, 'button.skip');
    expect(app.shadowRoot!.querySelector('button, a, input, select'), 'the first stop of the keyboard').to.equal(skip);
    skip.focus();
    skip.click();
    const focused = () => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element;
    };
    const all = cards();
    expect(focused()).to.equal(recordButton(all[0]));
    for (const card of all.slice(1)) {
      focused()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
      expect(focused()).to.equal(recordButton(card));
    }
    focused()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, composed: true }));
    expect(focused()).to.equal(recordButton(all[all.length - 2]));
  });
});
