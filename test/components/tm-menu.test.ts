import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/tm-menu';
import type { TmMenu } from '../../components/tm-menu';
import { expectNoAxeViolations } from '../helpers/axe';

interface Fixture {
  menu: TmMenu;
  trigger: HTMLButtonElement;
  popup: HTMLElement;
  item: (text: string) => HTMLButtonElement;
  after: HTMLButtonElement;
  clicked: string[];
}

async function menuFixture(): Promise<Fixture> {
  const clicked: string[] = [];
  const click = (event: Event) => clicked.push((event.currentTarget as HTMLElement).textContent!.trim());
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <button id="before">Before</button>
    <tm-menu label="More for Cup">
      <button type="button" role="menuitem" @click=${click}>One</button>
      <button type="button" role="menuitem" disabled @click=${click}>Two</button>
      <button type="button" role="menuitemcheckbox" aria-checked="true" @click=${click}>Three</button>
      <button type="button" role="menuitem" @click=${click}>Four</button>
    </tm-menu>
    <button id="after">After</button>
  </div>`);
  const menu = wrapper.querySelector('tm-menu')!;
  await menu.updateComplete;
  return {
    menu,
    trigger: menu.shadowRoot!.querySelector<HTMLButtonElement>('button.trigger')!,
    popup: menu.shadowRoot!.querySelector<HTMLElement>('[role="menu"]')!,
    item: (text) => [...menu.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!,
    after: wrapper.querySelector<HTMLButtonElement>('#after')!,
    clicked,
  };
}

/** The element with the keyboard focus, looking into shadow roots. */
function focused(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

const settle = async (menu: TmMenu) => {
  await menu.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
};

describe('tm-menu', () => {
  it('is a menu button: named, closed, its items out of the Tab order, and no axe violations open or closed', async () => {
    const { menu, trigger, popup, item } = await menuFixture();
    expect(trigger.getAttribute('aria-label')).to.equal('More for Cup');
    expect(trigger.getAttribute('aria-haspopup')).to.equal('menu');
    expect(trigger.getAttribute('aria-expanded')).to.equal('false');
    expect(trigger.getAttribute('aria-controls')).to.equal(popup.id);
    expect(popup.getAttribute('aria-labelledby')).to.equal(trigger.id);
    expect(popup.hidden).to.equal(true);
    expect(item('One').getBoundingClientRect().height, 'a closed menu shows no item').to.equal(0);
    expect(['One', 'Two', 'Three', 'Four'].map((t) => item(t).tabIndex)).to.deep.equal([-1, -1, -1, -1]);
    await expectNoAxeViolations(menu, 'a closed menu');
    trigger.click();
    await settle(menu);
    expect(trigger.getAttribute('aria-expanded')).to.equal('true');
    expect(popup.hidden).to.equal(false);
    expect(item('One').getBoundingClientRect().height).to.be.greaterThan(0);
    expect(focused(), 'a click opens it on its first item').to.equal(item('One'));
    await expectNoAxeViolations(menu, 'an open menu');
  });

  it('opens from the keyboard: Enter and Space on the first item, ArrowDown on the first, ArrowUp on the last', async () => {
    const { menu, trigger, item } = await menuFixture();
    for (const [key, first] of [
      ['Enter', 'One'],
      [' ', 'One'],
      ['ArrowDown', 'One'],
      ['ArrowUp', 'Four'],
    ] as const) {
      trigger.focus();
      await sendKeys({ press: key });
      await settle(menu);
      expect(menu.isOpen, `${JSON.stringify(key)} opens the menu`).to.equal(true);
      expect(focused(), `${JSON.stringify(key)} focuses`).to.equal(item(first));
      await sendKeys({ press: 'Escape' });
      await settle(menu);
      expect(menu.isOpen, 'Escape closes it').to.equal(false);
      expect(focused(), 'and the focus is back on the button').to.equal(trigger);
      expect(trigger.getAttribute('aria-expanded')).to.equal('false');
    }
  });

  it('moves with the arrow keys (wrapping, skipping a disabled item), Home and End', async () => {
    const { menu, trigger, item } = await menuFixture();
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await settle(menu);
    const visited: string[] = [];
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'End', 'Home', 'ArrowUp']) {
      await sendKeys({ press: key });
      visited.push(focused()!.textContent!.trim());
    }
    expect(visited).to.deep.equal(['Three', 'Four', 'One', 'Four', 'Four', 'One', 'Four']);
    expect(item('Two').disabled).to.equal(true);
  });

  it('an item chosen with Enter or Space is activated, and the menu closes with the focus back on its button', async () => {
    const { menu, trigger, clicked } = await menuFixture();
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await settle(menu);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await settle(menu);
    expect(clicked).to.deep.equal(['Three']);
    expect(menu.isOpen).to.equal(false);
    expect(focused()).to.equal(trigger);
    await sendKeys({ press: 'ArrowUp' });
    await settle(menu);
    await sendKeys({ press: ' ' });
    await settle(menu);
    expect(clicked).to.deep.equal(['Three', 'Four']);
    expect(menu.isOpen).to.equal(false);
  });

  it('closes on Tab, which moves on, and on a click outside it', async () => {
    const { menu, trigger, after } = await menuFixture();
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await settle(menu);
    await sendKeys({ press: 'Tab' });
    await settle(menu);
    expect(menu.isOpen, 'Tab closes it').to.equal(false);
    expect(focused(), 'and the focus leaves the menu').to.equal(after);
    trigger.click();
    await settle(menu);
    expect(menu.isOpen).to.equal(true);
    after.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await settle(menu);
    expect(menu.isOpen, 'a press outside closes it').to.equal(false);
  });

  it('opens upwards at the bottom of the window, downwards with room below', async () => {
    const { menu, trigger, popup } = await menuFixture();
    const spacer = Object.assign(document.createElement('div'), { style: `height: ${innerHeight - 60}px` });
    menu.parentElement!.prepend(spacer);
    window.scrollTo(0, 0);
    trigger.click();
    await settle(menu);
    const up = popup.getBoundingClientRect();
    expect(up.bottom, 'above its button').to.be.at.most(trigger.getBoundingClientRect().top);
    expect(up.top).to.be.at.least(0);
    await menu.toggle(false);
    spacer.remove();
    trigger.click();
    await settle(menu);
    expect(popup.getBoundingClientRect().top, 'below its button').to.be.at.least(trigger.getBoundingClientRect().bottom);
    await menu.toggle(false);
  });
});
