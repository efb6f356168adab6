import { html } from 'lit';
import './tm-menu';

/** What a class card's menu shows. */
export interface ClassCardMenuState {
  readonly label: string;
  readonly count: number;
  /** The class is turned off ("Use in predictions" unticked). */
  readonly off: boolean;
  readonly canDelete: boolean;
}

/** What each of the menu's items does. */
export interface ClassCardMenuActions {
  examples(): void;
  addImages(): void;
  toggleUse(): void;
  output(): void;
  clear(): void;
  remove(): void;
}

/**
 * A class card's secondary actions, in its "more" menu: the card itself keeps to the name, the examples and the
 * record button, so a phone shows several classes at once. The items are rendered into the card's own shadow root
 * (slotted into <tm-menu>), so they take the card's styles.
 */
export function classCardMenu({ label, count, off, canDelete }: ClassCardMenuState, act: ClassCardMenuActions) {
  return html`<tm-menu class="more" label=${`More for ${label}`}>
    <button type="button" role="menuitem" ?disabled=${count === 0} aria-label=${`See examples of ${label}`} @click=${act.examples}>
      See examples
    </button>
    <button type="button" role="menuitem" aria-label=${`Add images to ${label}`} @click=${act.addImages}>Add images…</button>
    <button type="button" role="menuitemcheckbox" aria-checked=${off ? 'false' : 'true'} @click=${act.toggleUse}>
      <span class="check" aria-hidden="true">${off ? '' : '✓'}</span>Use in predictions
    </button>
    <button type="button" role="menuitem" @click=${act.output}>When it is the best match…</button>
    <button type="button" role="menuitem" class="danger" ?disabled=${count === 0} aria-label=${`Clear examples of ${label}`} @click=${act.clear}>
      Clear examples
    </button>
    <button type="button" role="menuitem" class="danger" ?disabled=${!canDelete} aria-label=${`Delete class ${label}`} @click=${act.remove}>
      Delete class
    </button>
  </tm-menu>`;
}
