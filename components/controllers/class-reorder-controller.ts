import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';

/** The drag data type a class card's handle carries: the dragged class's id. */
export const CLASS_DRAG_TYPE = 'application/x-tm-class';

export interface ClassMoveDetail {
  readonly classId: string;
  /** Where the class goes in the list (0 is first); Teachable.moveClass clamps it. */
  readonly index: number;
}

/** What the controller reads from its host card. */
export interface ReorderHost extends ReactiveControllerHost, HTMLElement {
  readonly classId: string;
  readonly label: string;
  /** The class's place in the list, 0 first. */
  readonly position: number;
  readonly classCount: number;
  /** The handle, to focus again after a move by keyboard (the card may have been moved in the page meanwhile). */
  readonly moveHandle: HTMLElement | null;
}

/**
 * Moving a class card: by keyboard on its handle (arrow keys one place, Home and End to either end) and by
 * dragging the handle onto another card, which takes that card's place. Both fire `tm-class-move` from the host;
 * the app moves the class. A keyboard move is announced, and the handle keeps the focus.
 */
export class ClassReorderController implements ReactiveController {
  /** Said by the card's live region after a keyboard move. */
  announcement = '';
  private movedByKeyboard = false;
  private lastPosition: number | null = null;

  constructor(private readonly host: ReorderHost) {
    host.addController(this);
  }

  hostUpdated(): void {
    const moved = this.lastPosition !== null && this.lastPosition !== this.host.position;
    this.lastPosition = this.host.position;
    if (!moved || !this.movedByKeyboard) return;
    this.movedByKeyboard = false;
    this.announcement = `${this.host.label} moved to position ${this.host.position + 1} of ${this.host.classCount}.`;
    this.host.moveHandle?.focus();
    this.host.requestUpdate();
  }

  /** The handle (a button: arrow keys move, dragging it moves), its help, and the live region of keyboard moves. */
  renderHandle() {
    const { label, position, classCount } = this.host;
    return html`<button
        type="button"
        class="handle"
        draggable="true"
        aria-label=${`Move ${label}, position ${position + 1} of ${classCount}`}
        aria-keyshortcuts="ArrowUp ArrowDown Home End"
        aria-describedby="move-help"
        ?hidden=${classCount < 2}
        @keydown=${this.onHandleKeyDown}
        @dragstart=${this.onHandleDragStart}
      >
        <span aria-hidden="true">⠿</span>
      </button>
      <span id="move-help" hidden>Arrow keys move the class up or down; or drag it onto another class.</span>
      <span class="announce visually-hidden" role="status">${this.announcement}</span>`;
  }

  readonly onHandleKeyDown = (event: KeyboardEvent): void => {
    const { position, classCount } = this.host;
    const index =
      event.key === 'ArrowUp' || event.key === 'ArrowLeft'
        ? position - 1
        : event.key === 'ArrowDown' || event.key === 'ArrowRight'
          ? position + 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? classCount - 1
              : null;
    if (index === null) return;
    event.preventDefault();
    if (index < 0 || index >= classCount || index === position) return;
    this.movedByKeyboard = true;
    this.fire({ classId: this.host.classId, index });
  };

  readonly onHandleDragStart = (event: DragEvent): void => {
    if (!event.dataTransfer) return;
    event.dataTransfer.setData(CLASS_DRAG_TYPE, this.host.classId);
    event.dataTransfer.effectAllowed = 'move';
  };

  /** True when a class is dragged over the card (the card then allows the drop). */
  accepts(event: DragEvent): boolean {
    return event.dataTransfer?.types.includes(CLASS_DRAG_TYPE) ?? false;
  }

  /** Handles a dropped class: true when the drop was one (the card then ignores it). */
  drop(event: DragEvent): boolean {
    const classId = event.dataTransfer?.getData(CLASS_DRAG_TYPE);
    if (!classId) return false;
    if (classId !== this.host.classId) this.fire({ classId, index: this.host.position });
    return true;
  }

  private fire(detail: ClassMoveDetail): void {
    this.host.dispatchEvent(new CustomEvent<ClassMoveDetail>('tm-class-move', { detail, bubbles: true, composed: true }));
  }
}
