import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-class-card';
import type { TmClassCard } from '../../components/tm-class-card';
import '../../components/tm-confidence-bars';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import { CLASS_DRAG_TYPE } from '../../components/controllers/class-reorder-controller';
import { expectNoAxeViolations } from '../helpers/axe';

const handle = (card: TmClassCard) => card.shadowRoot!.querySelector<HTMLButtonElement>('button.handle')!;
const useItem = (card: TmClassCard) => card.shadowRoot!.querySelector<HTMLButtonElement>('tm-menu [role="menuitemcheckbox"]')!;
const press = (target: Element, key: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));

/** Every tm-class-move's detail reaching `card`. */
function moves(card: TmClassCard): { classId: string; index: number }[] {
  const seen: { classId: string; index: number }[] = [];
  card.addEventListener('tm-class-move', (e) => seen.push({ ...e.detail }));
  return seen;
}

describe('tm-class-card: moving and turning off', () => {
  it('a move handle named with the position; arrow keys, Home and End ask for a move within the list', async () => {
    const card = await fixture<TmClassCard>(html`<tm-class-card class-id="class-2" label="Palm" .position=${1} .classCount=${3}></tm-class-card>`);
    expect(handle(card).getAttribute('aria-label')).to.equal('Move Palm, position 2 of 3');
    expect(handle(card).getAttribute('aria-keyshortcuts')).to.equal('ArrowUp ArrowDown Home End');
    const seen = moves(card);
    for (const key of ['ArrowUp', 'ArrowDown', 'Home', 'End', 'ArrowLeft', 'ArrowRight', 'a']) press(handle(card), key);
    expect(seen).to.deep.equal([
      { classId: 'class-2', index: 0 },
      { classId: 'class-2', index: 2 },
      { classId: 'class-2', index: 0 },
      { classId: 'class-2', index: 2 },
      { classId: 'class-2', index: 0 },
      { classId: 'class-2', index: 2 },
    ]);
    await expectNoAxeViolations(card);
  });

  it('asks for no move past either end, and hides the handle when there is one class', async () => {
    const card = await fixture<TmClassCard>(html`<tm-class-card class-id="class-1" label="A" .position=${0} .classCount=${2}></tm-class-card>`);
    const seen = moves(card);
    press(handle(card), 'ArrowUp');
    press(handle(card), 'Home');
    expect(seen).to.deep.equal([]);
    card.classCount = 1;
    await card.updateComplete;
    expect(handle(card).hidden).to.equal(true);
  });

  it('after a keyboard move, announces the new position and keeps the focus on the handle', async () => {
    const card = await fixture<TmClassCard>(html`<tm-class-card class-id="class-1" label="Fist" .position=${0} .classCount=${3}></tm-class-card>`);
    handle(card).focus();
    press(handle(card), 'ArrowDown');
    // The app moves the class; the card (kept by its id) gets its new place.
    card.remove();
    document.body.append(card);
    card.position = 1;
    await card.updateComplete;
    await card.updateComplete;
    expect(card.shadowRoot!.querySelector('[role="status"].announce')!.textContent).to.equal('Fist moved to position 2 of 3.');
    expect(card.shadowRoot!.activeElement).to.equal(handle(card));
    card.remove();
  });

  it('a class card dropped on this one asks to move it to this place; files dropped still add images', async () => {
    const card = await fixture<TmClassCard>(html`<tm-class-card class-id="class-3" label="Up" .position=${2} .classCount=${3}></tm-class-card>`);
    const seen = moves(card);
    const inner = card.shadowRoot!.querySelector('.card')!;
    const dragged = new DataTransfer();
    handle(card).dispatchEvent(new DragEvent('dragstart', { dataTransfer: dragged, bubbles: true, composed: true }));
    expect(dragged.getData(CLASS_DRAG_TYPE)).to.equal('class-3');
    const other = new DataTransfer();
    other.setData(CLASS_DRAG_TYPE, 'class-1');
    const over = new DragEvent('dragover', { dataTransfer: other, bubbles: true, composed: true, cancelable: true });
    inner.dispatchEvent(over);
    expect(over.defaultPrevented, 'the drop is allowed').to.equal(true);
    inner.dispatchEvent(new DragEvent('drop', { dataTransfer: other, bubbles: true, composed: true, cancelable: true }));
    expect(seen).to.deep.equal([{ classId: 'class-1', index: 2 }]);
    // Dropped on itself: nothing to move.
    inner.dispatchEvent(new DragEvent('drop', { dataTransfer: dragged, bubbles: true, composed: true, cancelable: true }));
    expect(seen).to.have.length(1);
  });

  it('"Use in predictions" reports the switch; a class turned off says "Off" and still has its controls', async () => {
    const card = await fixture<TmClassCard>(html`<tm-class-card class-id="class-1" label="Palm" .count=${4}></tm-class-card>`);
    expect(useItem(card).textContent!.trim()).to.equal('✓Use in predictions');
    expect(useItem(card).getAttribute('aria-checked')).to.equal('true');
    setTimeout(() => useItem(card).click());
    const { detail } = await oneEvent(card, 'tm-class-enable');
    expect(detail).to.deep.equal({ classId: 'class-1', enabled: false });
    card.off = true;
    await card.updateComplete;
    expect(card.hasAttribute('off')).to.equal(true);
    expect(useItem(card).getAttribute('aria-checked')).to.equal('false');
    setTimeout(() => useItem(card).click());
    expect((await oneEvent(card, 'tm-class-enable')).detail).to.deep.equal({ classId: 'class-1', enabled: true });
    expect([...card.shadowRoot!.querySelectorAll('.badge')].map((b) => b.textContent)).to.include('Off');
    expect(card.shadowRoot!.querySelector('.count')!.textContent).to.equal('4 examples');
    await expectNoAxeViolations(card);
  });
});

describe('tm-confidence-bars: a class turned off', () => {
  it('has no bar and says it is not used', async () => {
    const bars = await fixture<TmConfidenceBars>(html`<tm-confidence-bars
      .bars=${[
        { classId: 'a', label: 'Palm', confidence: 0.9, color: '#0072b2' },
        { classId: 'b', label: 'Fist', confidence: 0, color: '#e69f00', off: true },
      ]}
      .topClassId=${'a'}
    ></tm-confidence-bars>`);
    const off = bars.shadowRoot!.querySelector('li[data-class-id="b"]')!;
    expect(off.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Fist Off: not used in predictions');
    expect(off.querySelector('[role="progressbar"]')).to.equal(null);
    expect(bars.shadowRoot!.querySelectorAll('[role="progressbar"]')).to.have.length(1);
    await expectNoAxeViolations(bars);
  });
});
