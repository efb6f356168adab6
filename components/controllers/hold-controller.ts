import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface HoldCallbacks {
  /** Called when a hold begins. Always followed by exactly one `onEnd` before the next `onStart`. */
  onStart(): void;
  onEnd(): void;
}

/** Keys that hold a button down, as `KeyboardEvent.key` values. */
const HOLD_KEYS: ReadonlySet<string> = new Set([' ', 'Enter']);

/**
 * Press-and-hold behaviour for a button, from a mouse, a finger, a pen or the keyboard (Space or Enter).
 *
 * Wire it to the element with `attach`, which fits Lit's `ref` directive:
 *
 * ```ts
 * private hold = new HoldController(this, { onStart: () => ..., onEnd: () => ... });
 * render() { return html`<button ${ref(this.hold.attach)}>...</button>`; }
 * ```
 *
 * A hold lasts while the pointer or the key that started it is down; it ends on release, on pointer cancel or
 * lost capture, on blur, when the host is disconnected, or when `release()` is called. Pressing a second input
 * during a hold extends it rather than starting another, so `onStart` and `onEnd` always alternate.
 */
export class HoldController implements ReactiveController {
  private element: HTMLElement | null = null;
  /** The pointer holding the button, if any. */
  private pointerId: number | null = null;
  /** The key holding the button, if any. */
  private key: string | null = null;
  private isHeld = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly callbacks: HoldCallbacks,
  ) {
    host.addController(this);
  }

  get held(): boolean {
    return this.isHeld;
  }

  hostDisconnected(): void {
    this.release();
  }

  /**
   * Listens to `element` (and stops listening to the previous one). Passing undefined or null detaches, which
   * also ends a hold. An arrow function so it can be handed to `ref()` as is.
   */
  readonly attach = (element: Element | undefined | null): void => {
    const next = element instanceof HTMLElement ? element : null;
    if (next === this.element) return;
    if (this.element) {
      this.release();
      for (const [type, listener] of this.elementListeners) this.element.removeEventListener(type, listener);
    }
    this.element = next;
    if (next) for (const [type, listener] of this.elementListeners) next.addEventListener(type, listener);
  };

  /** Ends the current hold, if any, whatever is still pressed. The pressed input must be let go and pressed again. */
  release(): void {
    this.pointerId = null;
    this.key = null;
    this.sync();
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    // Only the main button of a mouse; touch and pen contacts report button 0 too.
    if (event.button !== 0 || this.pointerId !== null) return;
    this.pointerId = event.pointerId;
    try {
      // Capture keeps pointerup coming here when the finger slides off the button.
      (event.currentTarget as Element).setPointerCapture(event.pointerId);
    } catch {
      // Throws for pointers the browser does not consider active (synthetic events); the window listener below covers it.
    }
    window.addEventListener('pointerup', this.onPointerUp);
    window.addEventListener('pointercancel', this.onPointerUp);
    this.sync();
  };

  private readonly onPointerUp = (event: PointerEvent): void => {
    if (event.pointerId !== this.pointerId) return;
    this.pointerId = null;
    this.sync();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!HOLD_KEYS.has(event.key)) return;
    // Stops Space scrolling the page and Enter clicking the button.
    event.preventDefault();
    if (event.repeat || this.key !== null) return;
    this.key = event.key;
    this.sync();
  };

  private readonly onKeyUp = (event: KeyboardEvent): void => {
    if (!HOLD_KEYS.has(event.key)) return;
    // Space clicks a button on keyup.
    event.preventDefault();
    if (event.key !== this.key) return;
    this.key = null;
    this.sync();
  };

  private readonly onBlur = (): void => {
    this.release();
  };

  /** Holds are driven by down and up events only; the click that follows them would be a second activation. */
  private readonly onClick = (event: Event): void => {
    event.preventDefault();
  };

  /** A long touch would otherwise open the context menu (and cancel the pointer). */
  private readonly onContextMenu = (event: Event): void => {
    event.preventDefault();
  };

  private readonly elementListeners: ReadonlyArray<[string, EventListener]> = [
    ['pointerdown', this.onPointerDown as EventListener],
    ['pointerup', this.onPointerUp as EventListener],
    ['pointercancel', this.onPointerUp as EventListener],
    ['lostpointercapture', this.onPointerUp as EventListener],
    ['keydown', this.onKeyDown as EventListener],
    ['keyup', this.onKeyUp as EventListener],
    ['blur', this.onBlur],
    ['click', this.onClick],
    ['contextmenu', this.onContextMenu],
  ];

  /**
   * Starts or ends the hold to match the inputs. State changes before the callback runs, so a callback that
   * calls `release()` still leaves start and end balanced.
   */
  private sync(): void {
    const shouldHold = this.pointerId !== null || this.key !== null;
    if (this.pointerId === null) {
      window.removeEventListener('pointerup', this.onPointerUp);
      window.removeEventListener('pointercancel', this.onPointerUp);
    }
    if (shouldHold === this.isHeld) return;
    this.isHeld = shouldHold;
    this.host.requestUpdate();
    if (shouldHold) this.callbacks.onStart();
    else this.callbacks.onEnd();
  }
}
