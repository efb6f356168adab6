import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/tm-class-card';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmMenu } from '../../components/tm-menu';
import { expectNoAxeViolations } from '../helpers/axe';

/** A 48 x 48 grey square, so thumbnails have their real size. */
const THUMB = (() => {
  const canvas = Object.assign(document.createElement('canvas'), { width: 48, height: 48 });
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#888';
  context.fillRect(0, 0, 48, 48);
  return canvas.toDataURL('image/png');
})();

async function cardIn(width: number, overrides: Partial<TmClassCard> = {}): Promise<TmClassCard> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style=${`width: ${width}px`}><tm-class-card .classId=${'class-1'} .label=${'Cup'} can-delete></tm-class-card></div>`,
  );
  const card = wrapper.querySelector('tm-class-card')!;
  Object.assign(card, { count: 60, thumbnails: Array.from({ length: 8 }, () => THUMB), ...overrides });
  await card.updateComplete;
  await Promise.all([...card.shadowRoot!.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)));
  return card;
}

const menuOf = (card: TmClassCard) => card.shadowRoot!.querySelector<TmMenu>('tm-menu')!;
const trigger = (card: TmClassCard) => menuOf(card).shadowRoot!.querySelector<HTMLButtonElement>('button.trigger')!;
const items = (card: TmClassCard) => [...card.shadowRoot!.querySelectorAll<HTMLButtonElement>('tm-menu > button')];
const rect = (card: TmClassCard, selector: string) => card.shadowRoot!.querySelector(selector)!.getBoundingClientRect();
const recordRect = (card: TmClassCard) => card.shadowRoot!.querySelector('tm-record-button')!.shadowRoot!.querySelector('button')!.getBoundingClientRect();

function focused(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

describe('tm-class-card: compact, with its actions in a menu', () => {
  it('on a phone (288 px) is three rows: the name and menu, the count beside the thumbnails, a record button across', async () => {
    const card = await cardIn(288);
    const height = card.getBoundingClientRect().height;
    expect(height, 'the whole card').to.be.at.most(200);
    const count = rect(card, '.count');
    const thumbs = rect(card, '.thumbs');
    expect(Math.abs(count.top + count.height / 2 - (thumbs.top + thumbs.height / 2)), 'count and thumbnails on one row').to.be.below(4);
    expect(thumbs.right, 'the thumbnails stay inside the card').to.be.at.most(card.getBoundingClientRect().right);
    const shown = [...card.shadowRoot!.querySelectorAll('.thumbs img')].filter((img) => img.getBoundingClientRect().bottom <= thumbs.bottom + 0.5);
    expect(shown.every((img) => img.getBoundingClientRect().width === 48), 'whole 48 px thumbnails').to.equal(true);
    const record = recordRect(card);
    const examples = rect(card, '.examples');
    expect(record.top, 'the record button under the examples').to.be.at.least(examples.bottom);
    expect(record.width, 'the record button takes the row').to.be.at.least(examples.width - 1);
    expect(record.height, 'a finger-sized record button').to.be.at.least(44);
    const more = trigger(card).getBoundingClientRect();
    expect(Math.min(more.width, more.height), 'a finger-sized menu button').to.be.at.least(44);
    await expectNoAxeViolations(card, 'a compact card');
  });

  it('on a wide card puts the record button beside the count and thumbnails', async () => {
    const card = await cardIn(700);
    const record = recordRect(card);
    const examples = rect(card, '.examples');
    expect(record.right, 'the button left of the examples').to.be.at.most(examples.left);
    expect(Math.abs(record.top + record.height / 2 - (examples.top + examples.height / 2)), 'on one row').to.be.below(4);
    expect(card.getBoundingClientRect().height).to.be.at.most(160);
  });

  it('holds the secondary actions in a "more" menu with menu roles and accessible names', async () => {
    const card = await cardIn(288, { off: true, count: 0, thumbnails: [] });
    expect(trigger(card).getAttribute('aria-label')).to.equal('More for Cup');
    expect(trigger(card).getAttribute('aria-haspopup')).to.equal('menu');
    expect(items(card).map((b) => [b.getAttribute('role'), b.textContent!.trim(), b.disabled])).to.deep.equal([
      ['menuitem', 'See examples', true],
      ['menuitem', 'Add images…', false],
      ['menuitemcheckbox', 'Use in predictions', false],
      ['menuitem', 'When it is the best match…', false],
      ['menuitem', 'Clear examples', true],
      ['menuitem', 'Delete class', false],
    ]);
    expect(items(card)[2].getAttribute('aria-checked')).to.equal('false');
    trigger(card).click();
    await menuOf(card).updateComplete;
    await expectNoAxeViolations(card, 'a card with its menu open');
  });

  it('is worked from the keyboard: Enter opens it, the arrows and End move, Enter chooses, Escape closes', async () => {
    const card = await cardIn(288);
    trigger(card).focus();
    await sendKeys({ press: 'Enter' });
    await menuOf(card).updateComplete;
    expect(menuOf(card).isOpen).to.equal(true);
    expect(focused()).to.equal(items(card)[0]);
    await sendKeys({ press: 'ArrowDown' });
    expect(focused()).to.equal(items(card)[1]);
    await sendKeys({ press: 'End' });
    expect(focused()!.textContent!.trim()).to.equal('Delete class');
    const deleted = oneEvent(card, 'tm-class-delete');
    await sendKeys({ press: 'Enter' });
    expect((await deleted).detail).to.deep.equal({ classId: 'class-1' });
    await menuOf(card).updateComplete;
    expect(menuOf(card).isOpen).to.equal(false);
    expect(focused(), 'the focus back on the menu button').to.equal(trigger(card));
    await sendKeys({ press: 'ArrowUp' });
    await menuOf(card).updateComplete;
    expect(focused()!.textContent!.trim(), 'ArrowUp opens it on its last item').to.equal('Delete class');
    await sendKeys({ press: 'Escape' });
    await menuOf(card).updateComplete;
    expect(menuOf(card).isOpen).to.equal(false);
    expect(focused()).to.equal(trigger(card));
  });

  it('keeps the output picker out of the way until asked for, or until the class has an output', async () => {
    const card = await cardIn(288);
    const output = () => card.shadowRoot!.querySelector<HTMLElement>('.output')!;
    expect(output().hidden, 'hidden with "Nothing"').to.equal(true);
    trigger(card).click();
    await menuOf(card).updateComplete;
    items(card)[3].click();
    await card.updateComplete;
    await menuOf(card).updateComplete;
    expect(output().hidden).to.equal(false);
    expect(focused(), 'the picker takes the focus').to.equal(output().querySelector('select'));
    const other = await cardIn(288, { output: { kind: 'speech' } });
    expect(other.shadowRoot!.querySelector<HTMLElement>('.output')!.hidden, 'shown when the class has an output').to.equal(false);
  });
});
