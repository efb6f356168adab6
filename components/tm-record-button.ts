import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { DEFAULT_RECORDING, type RecordingSettings } from '../src/app/timed-recording';
import { HoldController } from './controllers/hold-controller';
import { TimedRecordController } from './controllers/timed-record-controller';
import { visuallyHiddenStyles } from './control-styles';
import { recordButtonStyles } from './tm-record-button.styles';

export interface RecordEventDetail {
  /** The class being recorded: the `classId` of the element that fired the event ('' when it has none). */
  readonly classId: string;
}

/**
 * A button that records while it is held down, by pointer or by Space/Enter; or, when `settings.holdToRecord` is
 * off, on a click: a countdown, then a recording of `settings.durationSeconds` (a second click or Escape cancels).
 *
 * @fires tm-record-start - The hold (or the timed recording) began. Detail: `{classId}`.
 * @fires tm-record-end - The hold ended (release, blur, disabled, disconnected), or the timed recording did.
 *   Always follows a record-start.
 * @fires tm-record-countdown - A click started a countdown. Detail: `{classId}`.
 * @fires tm-record-cancel - A countdown was cancelled before it recorded anything. Detail: `{classId}`.
 * @cssprop --tm-accent - Button colour.
 * @cssprop --tm-accent-text - Text colour on the accent.
 * @cssprop --tm-recording - Colour while recording.
 */
@customElement('tm-record-button')
export class TmRecordButton extends LitElement {
  static override styles = [visuallyHiddenStyles, recordButtonStyles];

  /** The name of what is being recorded, for the accessible name ("Hold to record examples of <label>"). */
  @property() label = '';

  /** Echoed in the events' detail. */
  @property({ attribute: 'class-id' }) classId = '';

  /** Disables the button; turning it on during a hold ends the hold. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Set by the app while it is recording into this class; shown like a hold. */
  @property({ type: Boolean, reflect: true }) recording = false;

  /** Hold to record, or click for a countdown and a timed recording. */
  @property({ attribute: false }) settings: RecordingSettings = DEFAULT_RECORDING;

  private readonly hold = new HoldController(this, {
    onStart: () => this.fire('tm-record-start'),
    onEnd: () => this.fire('tm-record-end'),
  });

  private readonly timed = new TimedRecordController(this, {
    onCountdown: () => this.fire('tm-record-countdown'),
    onStart: () => this.fire('tm-record-start'),
    onEnd: () => this.fire('tm-record-end'),
    onCancelled: () => this.fire('tm-record-cancel'),
  });

  /** The classId a hold started with, so its record-end names the same class even if classId changed meanwhile. */
  private heldClassId = '';

  /** True while the button is held down. */
  get held(): boolean {
    return this.hold.held;
  }

  /** A countdown or a timed recording is under way. */
  get counting(): boolean {
    return this.timed.running;
  }

  /**
   * Ends a hold or a timed recording from outside (e.g. the camera failed); fires record-end if one was recording,
   * record-cancel if a countdown was running.
   */
  release(): void {
    this.hold.release();
    this.timed.cancel();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('disabled') && this.disabled) this.release();
    if (changed.has('settings') && this.settings.holdToRecord) this.timed.cancel();
  }

  protected override render() {
    return this.settings.holdToRecord ? this.renderHold() : this.renderTimed();
  }

  private renderHold() {
    const active = this.hold.held || this.recording;
    return html`<button
      type="button"
      ${ref(this.hold.attach)}
      ?disabled=${this.disabled}
      aria-pressed=${this.hold.held ? 'true' : 'false'}
      aria-label=${`${active ? 'Recording' : 'Hold to record'} examples${this.of()}`}
    >
      <span class="dot" aria-hidden="true"></span>${active ? 'Recording…' : 'Hold to record'}
    </button>`;
  }

  private renderTimed() {
    const { phase, secondsLeft } = this.timed.state;
    const { countdownSeconds, durationSeconds } = this.settings;
    const text = phase === 'countdown' ? `Starts in ${secondsLeft}…` : phase === 'recording' ? `Recording… ${secondsLeft} s` : 'Record';
    const name =
      phase === 'idle'
        ? `Record examples${this.of()} for ${durationSeconds} s${countdownSeconds ? ` after a ${countdownSeconds} s countdown` : ''}`
        : `${text} Press to cancel recording${this.of()}`;
    // Announced: the countdown's seconds, the start, and the end, once each (the button's own name is not re-read).
    const spoken = phase === 'countdown' ? `Recording starts in ${secondsLeft}` : phase === 'recording' ? 'Recording' : '';
    return html`<button
        type="button"
        class="timed"
        ?disabled=${this.disabled}
        aria-pressed=${phase === 'idle' ? 'false' : 'true'}
        aria-label=${name}
        aria-keyshortcuts=${phase === 'idle' ? nothing : 'Escape'}
        data-phase=${phase}
        @click=${this.onTimedClick}
      >
        <span class="dot" aria-hidden="true"></span>${text}
      </button>
      <span class="announce visually-hidden" role="status" aria-live="assertive">${spoken}</span>`;
  }

  private onTimedClick(): void {
    if (!this.disabled) this.timed.toggle(this.settings);
  }

  private of(): string {
    return this.label ? ` of ${this.label}` : '';
  }

  private fire(type: 'tm-record-start' | 'tm-record-end' | 'tm-record-countdown' | 'tm-record-cancel'): void {
    if (type === 'tm-record-start' || type === 'tm-record-countdown') this.heldClassId = this.classId;
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
    'tm-record-countdown': CustomEvent<RecordEventDetail>;
    'tm-record-cancel': CustomEvent<RecordEventDetail>;
  }
}
