import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { HoldController } from './controllers/hold-controller';
import { recordButtonStyles } from './tm-record-button.styles';

export interface RecordEventDetail {
  /** The class being recorded: the `classId` of the element that fired the event ('' when it has none). */
  readonly classId: string;
}

/**
 * A button that records while it is held down, by pointer or by Space/Enter.
 *
 * @fires tm-record-start - The hold began. Detail: `{classId}`.
 * @fires tm-record-end - The hold ended (release, blur, disabled, disconnected). Always follows a record-start.
 * @cssprop --tm-accent - Button colour.
 * @cssprop --tm-accent-text - Text colour on the accent.
 * @cssprop --tm-recording - Colour while recording.
 */
@customElement('tm-record-button')
export class TmRecordButton extends LitElement {
  static override styles = recordButtonStyles;

  /** The name of what is being recorded, for the accessible name ("Hold to record examples of <label>"). */
  @property() label = '';

  /** Echoed in the events' detail. */
  @property({ attribute: 'class-id' }) classId = '';

  /** Disables the button; turning it on during a hold ends the hold. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Set by the app while it is recording into this class; shown like a hold. */
  @property({ type: Boolean, reflect: true }) recording = false;

  private readonly hold = new HoldController(this, {
    onStart: () => this.fire('tm-record-start'),
    onEnd: () => this.fire('tm-record-end'),
  });

  /** The classId a hold started with, so its record-end names the same class even if classId changed meanwhile. */
  private heldClassId = '';

  /** True while the button is held down. */
  get held(): boolean {
    return this.hold.held;
  }

  /** Ends a hold from outside (e.g. the camera failed); fires record-end if a hold was in progress. */
  release(): void {
    this.hold.release();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('disabled') && this.disabled) this.hold.release();
  }

  protected override render() {
    const active = this.hold.held || this.recording;
    return html`<button
      type="button"
      ${ref(this.hold.attach)}
      ?disabled=${this.disabled}
      aria-pressed=${this.hold.held ? 'true' : 'false'}
      aria-label=${`${active ? 'Recording' : 'Hold to record'} examples${this.label ? ` of ${this.label}` : ''}`}
    >
      <span class="dot" aria-hidden="true"></span>${active ? 'Recording…' : 'Hold to record'}
    </button>`;
  }

  private fire(type: 'tm-record-start' | 'tm-record-end'): void {
    if (type === 'tm-record-start') this.heldClassId = this.classId;
    this.dispatchEvent(
      new CustomEvent<RecordEventDetail>(type, { detail: { classId: this.heldClassId }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-record-button': TmRecordButton;
  }
  interface HTMLElementEventMap {
    'tm-record-start': CustomEvent<RecordEventDetail>;
    'tm-record-end': CustomEvent<RecordEventDetail>;
  }
}
