import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/tm-class-card';
import { exampleCountText, type TmClassCard } from '../../components/tm-class-card';
import type { TmRecordButton } from '../../components/tm-record-button';
import { expectNoAxeViolations } from '../helpers/axe';

const THUMBS = ['data:image/gif;base64,R0lGODlhAQABAAAAACw=', 'data:image/png;base64,AAAA', 'data:image/png;base64,BBBB'];

async function cardFixture(overrides: Partial<TmClassCard> = {}): Promise<TmClassCard> {
  const card = await fixture<TmClassCard>(
    html`<tm-class-card .classId=${'class-1'} .label=${'Class 1'} .count=${0} can-delete></tm-class-card>`,
  );
  Object.assign(card, overrides);
  await card.updateComplete;
  return card;
}

const $ = <T extends Element>(card: TmClassCard, selector: string) => card.shadowRoot!.querySelector<T>(selector)!;
const nameInput = (card: TmClassCard) => $<HTMLInputElement>(card, 'input');
const recordButton = (card: TmClassCard) => $<TmRecordButton>(card, 'tm-record-button');
const buttonByText = (card: TmClassCard, text: string) =>
  [...card.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

/** Types into the name input as the browser would report it. */
function typeName(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('tm-class-card', () => {
  it('fits a narrow column with a full row of thumbnails (a 320 px phone leaves it about 290 px)', async () => {
    const card = await fixture<TmClassCard>(
      html`<div style="width: 288px"><tm-class-card .classId=${'class-1'} .label=${'Class 1'} .count=${60}></tm-class-card></div>`,
    ).then((wrapper) => wrapper.querySelector('tm-class-card')!);
    card.thumbnails = Array.from({ length: 6 }, (_, i) => THUMBS[i % THUMBS.length]);
    await card.updateComplete;
    expect(card.shadowRoot!.querySelectorAll('.thumbs img').length).to.equal(6);
    expect(card.getBoundingClientRect().width).to.be.at.most(288);
    const right = card.getBoundingClientRect().right;
    const past = [...card.shadowRoot!.querySelectorAll('.card > *')].filter((el) => el.getBoundingClientRect().right > right + 0.5);
    expect(past.map((el) => el.className || el.localName), 'parts wider than the card').to.deep.equal([]);
  });

  it('renders the name, count, record button and actions with accessible names', async () => {
    const card = await cardFixture({ count: 3 });
    expect(nameInput(card).value).to.equal('Class 1');
    expect(nameInput(card).getAttribute('aria-label')).to.equal('Class name');
    const count = $(card, '.count');
    expect(count.textContent!.trim()).to.equal('3 examples');
    expect(count.getAttribute('aria-live')).to.equal('polite');
    expect(recordButton(card).label).to.equal('Class 1');
    expect(recordButton(card).classId).to.equal('class-1');
    expect(buttonByText(card, 'Clear examples').getAttribute('aria-label')).to.equal('Clear examples of Class 1');
    expect(buttonByText(card, 'Delete class').getAttribute('aria-label')).to.equal('Delete class Class 1');
    expect(buttonByText(card, 'Clear examples').disabled).to.equal(false);
    expect(buttonByText(card, 'Delete class').disabled).to.equal(false);
  });

  it('has no axe violations: empty, with examples and thumbnails, best match, recording, disabled', async () => {
    const card = await cardFixture();
    await expectNoAxeViolations(card, 'an empty card');
    Object.assign(card, { count: 3, thumbnails: THUMBS, active: true });
    await card.updateComplete;
    await expectNoAxeViolations(card, 'a card with examples, best match');
    Object.assign(card, { recording: true });
    await card.updateComplete;
    await expectNoAxeViolations(card, 'a recording card');
    Object.assign(card, { recording: false, disabled: true, canDelete: false });
    await card.updateComplete;
    await expectNoAxeViolations(card, 'a disabled card');
  });

  it("draws the class's stored colour on the card, as its bars do", async () => {
    const card = await cardFixture({ color: '#0072b2' });
    const box = card.shadowRoot!.querySelector<HTMLElement>('.card')!;
    box.style.transition = 'none'; // the computed colour is then the final one at once
    expect(getComputedStyle(box).borderLeftColor).to.equal('rgb(0, 114, 178)');
    card.color = '#d55e00';
    await card.updateComplete;
    expect(getComputedStyle(box).borderLeftColor).to.equal('rgb(213, 94, 0)');
  });

  it('words the example count', () => {
    expect(exampleCountText(0)).to.equal('0 examples');
    expect(exampleCountText(1)).to.equal('1 example');
    expect(exampleCountText(12)).to.equal('12 examples');
  });

  it('shows the count as it changes', async () => {
    const card = await cardFixture();
    expect($(card, '.count').textContent!.trim()).to.equal('0 examples');
    card.count = 1;
    await card.updateComplete;
    expect($(card, '.count').textContent!.trim()).to.equal('1 example');
  });

  it('shows thumbnails newest first, numbered by example', async () => {
    const card = await cardFixture({ count: 10, thumbnails: THUMBS });
    const images = [...card.shadowRoot!.querySelectorAll('img')];
    expect(images.map((img) => img.getAttribute('src'))).to.deep.equal([...THUMBS].reverse());
    expect(images.map((img) => img.alt)).to.deep.equal([
      'Example 10 of Class 1',
      'Example 9 of Class 1',
      'Example 8 of Class 1',
    ]);
  });

  it('numbers thumbnails from 1 when every example has one', async () => {
    const card = await cardFixture({ count: 3, thumbnails: THUMBS });
    const alts = [...card.shadowRoot!.querySelectorAll('img')].map((img) => img.alt);
    expect(alts).to.deep.equal(['Example 3 of Class 1', 'Example 2 of Class 1', 'Example 1 of Class 1']);
  });

  it('disables Clear with no examples and Delete when deleting is not allowed', async () => {
    const card = await cardFixture({ count: 0, canDelete: false });
    expect(buttonByText(card, 'Clear examples').disabled).to.equal(true);
    expect(buttonByText(card, 'Delete class').disabled).to.equal(true);
  });

  it('fires class-clear and class-delete with the class id', async () => {
    const card = await cardFixture({ count: 2 });
    setTimeout(() => buttonByText(card, 'Clear examples').click());
    const clear = await oneEvent(card, 'tm-class-clear');
    expect(clear.detail).to.deep.equal({ classId: 'class-1' });
    expect(clear.bubbles && clear.composed).to.equal(true);
    setTimeout(() => buttonByText(card, 'Delete class').click());
    expect((await oneEvent(card, 'tm-class-delete')).detail).to.deep.equal({ classId: 'class-1' });
  });

  it('highlights the top prediction with a visible badge, not only colour', async () => {
    const card = await cardFixture();
    expect($(card, '.badge')).to.equal(null);
    card.active = true;
    await card.updateComplete;
    expect(card.hasAttribute('active')).to.equal(true);
    expect($(card, '.badge').textContent).to.equal('Best match');
  });

  describe('record events', () => {
    const pointer = (type: string) =>
      new PointerEvent(type, { pointerId: 1, bubbles: true, composed: true, isPrimary: true, button: 0 });

    it('re-dispatches the button hold as record-start/record-end with the class id, once each', async () => {
      const card = await cardFixture();
      const seen: string[] = [];
      const log = (event: Event) => seen.push(`${event.type}:${(event as CustomEvent<{ classId: string }>).detail.classId}`);
      document.addEventListener('tm-record-start', log);
      document.addEventListener('tm-record-end', log);
      try {
        const inner = recordButton(card).shadowRoot!.querySelector('button')!;
        const started = oneEvent(card, 'tm-record-start');
        inner.dispatchEvent(pointer('pointerdown'));
        const start = await started;
        expect(start.target).to.equal(card);
        expect(start.bubbles && start.composed).to.equal(true);
        inner.dispatchEvent(pointer('pointerup'));
        expect(seen).to.deep.equal(['tm-record-start:class-1', 'tm-record-end:class-1']);
      } finally {
        document.removeEventListener('tm-record-start', log);
        document.removeEventListener('tm-record-end', log);
      }
    });

    it('passes disabled and recording to the record button; disabling ends a hold', async () => {
      const card = await cardFixture();
      const inner = recordButton(card).shadowRoot!.querySelector('button')!;
      inner.dispatchEvent(pointer('pointerdown'));
      const ended = oneEvent(card, 'tm-record-end');
      card.disabled = true;
      card.recording = true;
      expect((await ended).detail).to.deep.equal({ classId: 'class-1' });
      await card.updateComplete;
      expect(recordButton(card).disabled).to.equal(true);
      expect(recordButton(card).recording).to.equal(true);
    });
  });

  describe('renaming', () => {
    it('fires class-rename with the trimmed label on change', async () => {
      const card = await cardFixture();
      const input = nameInput(card);
      typeName(input, '  Cats ');
      setTimeout(() => input.dispatchEvent(new Event('change')));
      const renamed = await oneEvent(card, 'tm-class-rename');
      expect(renamed.detail).to.deep.equal({ classId: 'class-1', label: 'Cats' });
      expect(renamed.bubbles && renamed.composed).to.equal(true);
    });

    it('commits on Enter', async () => {
      const card = await cardFixture();
      const input = nameInput(card);
      typeName(input, 'Dogs');
      setTimeout(() => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
      expect((await oneEvent(card, 'tm-class-rename')).detail.label).to.equal('Dogs');
    });

    it('commits on Enter, change and blur, but fires once for one edit', async () => {
      const card = await cardFixture();
      const labels: string[] = [];
      card.addEventListener('tm-class-rename', (event) => labels.push(event.detail.label));
      const input = nameInput(card);
      typeName(input, 'Dogs');
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      input.dispatchEvent(new Event('change'));
      input.dispatchEvent(new FocusEvent('blur'));
      expect(labels).to.deep.equal(['Dogs']);
      typeName(input, 'Birds');
      input.dispatchEvent(new FocusEvent('blur'));
      expect(labels).to.deep.equal(['Dogs', 'Birds']);
    });

    it('does not fire when the name is unchanged', async () => {
      const card = await cardFixture();
      let fired = 0;
      card.addEventListener('tm-class-rename', () => fired++);
      const input = nameInput(card);
      typeName(input, ' Class 1 ');
      input.dispatchEvent(new Event('change'));
      input.dispatchEvent(new FocusEvent('blur'));
      expect(fired).to.equal(0);
    });

    it('reverts a blank name to the previous label without firing', async () => {
      const card = await cardFixture();
      let fired = 0;
      card.addEventListener('tm-class-rename', () => fired++);
      const input = nameInput(card);
      typeName(input, '   ');
      input.dispatchEvent(new Event('change'));
      expect(fired).to.equal(0);
      expect(input.value).to.equal('Class 1');
      await card.updateComplete;
      expect(input.value).to.equal('Class 1');
    });

    it('reverts on Escape without firing, and the following blur fires nothing', async () => {
      const card = await cardFixture();
      let fired = 0;
      card.addEventListener('tm-class-rename', () => fired++);
      let escapeLeftCard = false;
      document.addEventListener('keydown', () => (escapeLeftCard = true), { once: true });
      const input = nameInput(card);
      typeName(input, 'Half-typed');
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      expect(input.value).to.equal('Class 1');
      card.count = 4;
      await card.updateComplete;
      expect(input.value, 'the abandoned edit does not come back on re-render').to.equal('Class 1');
      input.dispatchEvent(new FocusEvent('blur'));
      expect(fired).to.equal(0);
      expect(escapeLeftCard, 'Escape is consumed by the edit').to.equal(false);
    });

    it('keeps what is being typed across re-renders, then shows the label the app settles on', async () => {
      const card = await cardFixture();
      const input = nameInput(card);
      typeName(input, 'Half-typ');
      card.active = true;
      card.count = 5;
      await card.updateComplete;
      expect(input.value, 'a re-render mid-edit keeps the typing').to.equal('Half-typ');
      // The app accepts a rename by setting the label it kept (here cut shorter).
      card.addEventListener('tm-class-rename', () => (card.label = 'Half'), { once: true });
      input.dispatchEvent(new Event('change'));
      await card.updateComplete;
      expect(input.value).to.equal('Half');
      expect(recordButton(card).label).to.equal('Half');
    });

    it('shows the old label again when the app refuses a rename', async () => {
      const card = await cardFixture();
      const input = nameInput(card);
      typeName(input, 'Refused');
      input.dispatchEvent(new Event('change'));
      await card.updateComplete;
      expect(input.value).to.equal('Class 1');
    });

    it('renames with the real keyboard', async () => {
      const card = await cardFixture();
      const input = nameInput(card);
      input.focus();
      input.select();
      setTimeout(async () => {
        await sendKeys({ type: 'Plants' });
        await sendKeys({ press: 'Enter' });
      });
      const renamed = await oneEvent(card, 'tm-class-rename');
      expect(renamed.detail.label).to.equal('Plants');
    });
  });

  it('shows a label containing HTML as text everywhere', async () => {
    const label = '<img src=x onerror=alert(1)>';
    const card = await cardFixture({ label, count: 2, thumbnails: THUMBS.slice(0, 1) });
    // The only images are the thumbnails.
    expect(card.shadowRoot!.querySelectorAll('img').length).to.equal(1);
    expect(recordButton(card).shadowRoot!.querySelector('img')).to.equal(null);
    expect(nameInput(card).value).to.equal(label);
    expect(buttonByText(card, 'Delete class').getAttribute('aria-label')).to.equal(`Delete class ${label}`);
    expect($<HTMLImageElement>(card, 'img').alt).to.equal(`Example 2 of ${label}`);
  });
});
