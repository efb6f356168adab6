import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { buttonStyles } from './control-styles';

/** The slotted elements a menu moves between: its items that can be activated. */
const ITEM = '[role="menuitem"], [role="menuitemcheckbox"], [role="menuitemradio"]';

/**
 * A "more" button that opens a menu of the slotted items (buttons with `role="menuitem"` or
 * `role="menuitemcheckbox"`), as the WAI-ARIA menu button pattern has it. The items stay in the light DOM of
 * whoever renders the menu, so they keep that element's styles and listeners; this element only shows them, moves
 * the focus between them and closes.
 *
 * Keys: on the button, Enter, Space or ArrowDown open the menu on its first item, ArrowUp on its last. In the menu,
 * ArrowDown and ArrowUp move (wrapping), Home and End go to either end, Escape closes it and returns to the button,
 * Tab closes it and moves on. Activating an item, or a click outside, closes it. Disabled items are skipped.
 *
 * @fires tm-menu-toggle - `{open}`: the menu opened or closed.
 * @slot - The menu's items.
 */
@customElement('tm-menu')
export class TmMenu extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      button.trigger {
        min-width: 2.75rem;
        min-height: 2.75rem;
        padding: 0;
        font-size: 1.25rem;
        line-height: 1;
      }
      button.trigger[aria-expanded='true'] {
        border-color: var(--tm-accent, #1f5fd6);
        background: var(--tm-accent-soft, #e8f0fd);
      }
      [role='menu'] {
        position: absolute;
        /* Over the cards below it, under the camera strip that stays at the top on a phone (5). */
        z-index: 4;
        top: calc(100% + 0.25rem);
        right: 0;
        display: grid;
        min-width: 13rem;
        max-width: min(18rem, calc(100vw - 2rem));
        padding: var(--tm-space-1, 0.25rem);
        border: 1px solid var(--tm-border, #d0d7de);
        border-radius: var(--tm-radius, 10px);
        background: var(--tm-surface, #fff);
        box-shadow:
          0 4px 12px rgb(27 31 36 / 15%),
          0 1px 3px rgb(27 31 36 / 10%);
      }
      [role='menu'][hidden] {
        display: none;
      }
      /* Near the bottom of the window (the last class card on a phone), it opens upwards. */
      [role='menu'].up {
        top: auto;
        bottom: calc(100% + 0.25rem);
      }
    `,
  ];

  /** The button's accessible name, e.g. "More for Class 1". */
  @property() label = 'More';
  @state() private open = false;
  /** The menu opens above its button: there is no room for it below. */
  @state() private up = false;
  @query('button.trigger') private trigger!: HTMLButtonElement;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
  }

  override render() {
    return html`<button
        type="button"
        class="trigger"
        id="trigger"
        aria-haspopup="menu"
        aria-controls="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-label=${this.label}
        title=${this.label}
        @click=${() => this.toggle(!this.open, 'first')}
        @keydown=${this.onTriggerKeyDown}
      >
        <span aria-hidden="true">⋮</span>
      </button>
      <div
        role="menu"
        id="menu"
        class=${this.up ? 'up' : ''}
        aria-labelledby="trigger"
        ?hidden=${!this.open}
        @keydown=${this.onMenuKeyDown}
        @click=${this.onMenuClick}
        @focusout=${this.onFocusOut}
      >
        <slot @slotchange=${this.onSlotChange}></slot>
      </div>`;
  }

  /** Whether the menu is showing. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Opens the menu with the focus on its first or last item, or closes it (the focus back on the button if asked). */
  async toggle(open: boolean, focus: 'first' | 'last' | 'button' | 'none' = 'none'): Promise<void> {
    if (open !== this.open) {
      this.open = open;
      if (open) document.addEventListener('pointerdown', this.onOutsidePointer, true);
      else document.removeEventListener('pointerdown', this.onOutsidePointer, true);
      this.dispatchEvent(new CustomEvent('tm-menu-toggle', { detail: { open }, bubbles: true, composed: true }));
      this.up = false;
      await this.updateComplete;
      if (open) await this.placeInWindow();
    }
    const items = this.items();
    if (focus === 'first') items[0]?.focus();
    else if (focus === 'last') items.at(-1)?.focus();
    else if (focus === 'button' && this.focusIsLost()) this.trigger.focus();
  }

  /**
   * The focus is still on a (now hidden) item, or nowhere: an item's action that took it elsewhere (a panel it
   * opened, a field it showed) keeps it.
   */
  private focusIsLost(): boolean {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active === document.body || this.contains(active) || this.renderRoot.contains(active)) return true;
    // Or on an element around the menu (the shadow host the lost focus fell back to).
    for (let node: Node | null = this.parentNode; node; node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null)) {
      if (node === active) return true;
    }
    return false;
  }

  /** Opens upwards when the menu would run past the window's bottom and there is more room above its button. */
  private async placeInWindow(): Promise<void> {
    const menu = this.renderRoot.querySelector<HTMLElement>('[role="menu"]');
    if (!menu) return;
    const below = menu.getBoundingClientRect().bottom;
    const button = this.trigger.getBoundingClientRect();
    if (below > innerHeight && button.top > innerHeight - button.bottom) {
      this.up = true;
      await this.updateComplete;
    }
  }

  /** The items that can take the focus now, in order. */
  private items(): HTMLElement[] {
    const slot = this.renderRoot.querySelector('slot');
    return (slot?.assignedElements({ flatten: true }) ?? [])
      .flatMap((element) => (element.matches(ITEM) ? [element] : [...element.querySelectorAll(ITEM)]))
      .filter((element): element is HTMLElement => element instanceof HTMLElement && !element.matches(':disabled, [aria-disabled="true"], [hidden]'));
  }

  /** The items leave the page's Tab order: the arrow keys move between them (a menu is one Tab stop, its button). */
  private onSlotChange(event: Event): void {
    for (const element of (event.currentTarget as HTMLSlotElement).assignedElements({ flatten: true })) {
      for (const item of element.matches(ITEM) ? [element] : element.querySelectorAll(ITEM)) item.setAttribute('tabindex', '-1');
    }
  }

  private onTriggerKeyDown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      // The card's list moves between record buttons on the arrow keys; here they belong to the menu.
      event.stopPropagation();
      void this.toggle(true, event.key === 'ArrowDown' ? 'first' : 'last');
    }
  }

  private onMenuKeyDown(event: KeyboardEvent): void {
    const items = this.items();
    const active = items.findIndex((item) => item === (this.getRootNode() as Document | ShadowRoot).activeElement || item.matches(':focus'));
    const move = (index: number) => items[(index + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active < 0 ? -1 : active - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(-1);
        break;
      case 'Escape':
        void this.toggle(false, 'button');
        break;
      case 'Tab':
        void this.toggle(false);
        return; // the focus moves on as Tab moves it
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** An activated item closes the menu; the focus goes back to the button, as after Escape. */
  private onMenuClick(event: Event): void {
    const item = event.composedPath().find((target) => target instanceof HTMLElement && target.matches(ITEM));
    if (item && this.open) void this.toggle(false, 'button');
  }

  /** Focus leaving the menu and its button (a click or a Tab elsewhere) closes it. */
  private onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget;
    if (next instanceof Node && (this.contains(next) || this.renderRoot.contains(next))) return;
    if (next) void this.toggle(false);
  }

  private onOutsidePointer = (event: PointerEvent): void => {
    if (!event.composedPath().includes(this)) void this.toggle(false);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-menu': TmMenu;
  }
}
