import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { NO_OUTPUT, TONES, isToneName, type ClassOutput } from '../src/outputs/class-output';
import { styleProperties } from './style-properties';
import { DEFAULT_RECORDING, type RecordingSettings } from '../src/app/timed-recording';
import { ClassReorderController, type ClassMoveDetail } from './controllers/class-reorder-controller';
import type { RecordEventDetail, TmRecordButton } from './tm-record-button';
import './tm-record-button';
import { classCardMenu, type ClassCardMenuActions } from './tm-class-card-menu';
import { classCardStyles } from './tm-class-card.styles';
import type { ClassEnableDetail, ClassEventDetail, ClassImagesDetail, ClassOutputDetail, ClassRenameDetail, ClassSoundDetail } from './tm-class-card-events';

export type {
  ClassEnableDetail,
  ClassEventDetail,
  ClassImagesDetail,
  ClassOutputDetail,
  ClassRenameDetail,
  ClassSoundDetail,
} from './tm-class-card-events';

/** The output picker's option value for an output. */
function outputChoice(output: ClassOutput): string {
  return output.kind === 'tone' ? `tone:${output.tone}` : output.kind;
}

/** "0 examples", "1 example", "12 examples". */
export function exampleCountText(count: number): string {
  return `${count} ${count === 1 ? 'example' : 'examples'}`;
}

/**
 * One class: its editable name, example count and latest thumbnails in one row, a hold-to-record button, and a
 * "more" menu (see examples, add images, use in predictions, output, clear, delete).
 * The card only reports what the user asked for; the app changes the data (and asks for confirmation).
 *
 * @fires tm-class-rename - `{classId, label}`: the name was edited to a different, non-blank label.
 * @fires tm-class-clear - `{classId}`: "Clear examples" was pressed.
 * @fires tm-class-examples - `{classId}`: "See examples" was pressed (the app opens the class's examples).
 * @fires tm-class-delete - `{classId}`: "Delete class" was pressed.
 * @fires tm-class-add-images - `{classId, files}`: image files were picked or dropped on the card.
 * @fires tm-record-start - `{classId}`: the record button is being held.
 * @fires tm-record-end - `{classId}`: the hold ended; always follows a record-start with the same classId.
 * @fires tm-record-countdown - `{classId}`: a click started a countdown (hold to record off).
 * @fires tm-record-cancel - `{classId}`: that countdown was cancelled before it recorded.
 * @fires tm-class-move - `{classId, index}`: a class was moved by its handle (keys) or dropped on this card.
 * @fires tm-class-enable - `{classId, enabled}`: "Use in predictions" was switched.
 * @fires tm-class-output-change - `{classId, output}`: another output (not a sound file) was chosen.
 * @fires tm-class-output-sound - `{classId, file}`: a sound file was picked as the output, to be checked.
 * @cssprop --tm-surface - Card background.
 * @cssprop --tm-text - Text colour.
 * @cssprop --tm-accent - Highlight of the top-predicted card and of the record button.
 * @cssprop --tm-border - Card border.
 */
@customElement('tm-class-card')
export class TmClassCard extends LitElement {
  static override styles = classCardStyles;

  @property({ attribute: 'class-id' }) classId = '';
  @property() label = '';
  /** The class's stored colour (`#rrggbb`): the card's stripe, and its bars' colour. */
  @property() color = '';
  @property({ type: Number }) count = 0;
  /** Data URLs of recent examples, newest last (they are shown newest first). */
  @property({ attribute: false }) thumbnails: readonly string[] = [];
  /** This class is the current top prediction. */
  @property({ type: Boolean, reflect: true }) active = false;
  /** The app is recording into this class. */
  @property({ type: Boolean, reflect: true }) recording = false;
  /** Recording is not possible yet (no model or camera); disabling during a hold ends it. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  @property({ type: Boolean, attribute: 'can-delete' }) canDelete = false;
  /** What the class does when it becomes the stable top class. */
  @property({ attribute: false }) output: ClassOutput = NO_OUTPUT;
  /** How the record button records: held, or a click's countdown and timed recording. */
  @property({ attribute: false }) recordingSettings: RecordingSettings = DEFAULT_RECORDING;
  /** The class is turned off: it keeps its examples but takes no part in predictions. */
  @property({ type: Boolean, reflect: true }) off = false;
  /** The class's place in the list (0 first) and how many there are, for moving it. */
  @property({ type: Number }) position = 0;
  @property({ type: Number, attribute: 'class-count' }) classCount = 1;
  /** Why the last sound file picked was refused, or null. */
  @property({ attribute: 'output-problem' }) outputProblem: string | null = null;

  /**
   * The name being typed, or null when not editing. While editing, the input shows this rather than `label`,
   * so re-renders (the top prediction changes many times a second) do not overwrite the typing.
   */
  @state() private draft: string | null = null;

  /** The output picker was asked for from the menu (it shows anyway once the class has an output). */
  @state() private outputOpen = false;

  /**
   * The label this edit already reported, so one edit committed several ways (Enter, then change, then blur)
   * fires class-rename once. Cleared by the next keystroke and when `label` changes.
   */
  private reportedLabel: string | null = null;

  private readonly reorder = new ClassReorderController(this);

  private readonly menuActions: ClassCardMenuActions = {
    examples: () => this.fire<ClassEventDetail>('tm-class-examples', { classId: this.classId }),
    addImages: () => this.renderRoot.querySelector<HTMLInputElement>('input.image-files')?.click(),
    toggleUse: () => this.fire<ClassEnableDetail>('tm-class-enable', { classId: this.classId, enabled: this.off }),
    output: () => void this.openOutput(),
    clear: () => this.fire<ClassEventDetail>('tm-class-clear', { classId: this.classId }),
    remove: () => this.fire<ClassEventDetail>('tm-class-delete', { classId: this.classId }),
  };

  get moveHandle(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('button.handle');
  }

  /** Puts the keyboard focus on the record button (the app's skip link and arrow keys lead there). */
  focusRecordButton(): void {
    this.renderRoot.querySelector('tm-record-button')?.shadowRoot?.querySelector('button')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('label')) this.reportedLabel = null;
  }

  protected override render() {
    const count = Math.max(0, Math.floor(this.count)) || 0;
    return html`<div
      class="card"
      role="group"
      aria-label=${this.label}
      style=${styleProperties({ '--tm-class-color': this.color || null })}
      @dragover=${this.onDragOver}
      @dragleave=${this.onDragLeave}
      @drop=${this.onDrop}
    >
      <div class="header">
        ${this.reorder.renderHandle()}
        <span class="name"
          ><input
            type="text"
            aria-label="Class name"
            title="Rename this class"
            autocomplete="off"
            spellcheck="false"
            .value=${live(this.draft ?? this.label)}
            @input=${this.onNameInput}
            @change=${this.onNameCommit}
            @blur=${this.onNameCommit}
            @keydown=${this.onNameKeyDown} /><span class="pencil" aria-hidden="true">✎</span></span
        >
        ${this.active ? html`<span class="badge best">Best match</span>` : null}
        ${this.off ? html`<span class="badge off">Off</span>` : null} ${classCardMenu({ label: this.label, count, off: this.off, canDelete: this.canDelete }, this.menuActions)}
      </div>
      <div class="examples">
        <p class="count" aria-live="polite">${exampleCountText(count)}</p>
        ${this.renderThumbnails(count)}
      </div>
      ${this.renderOutput()}
      <div class="actions">
        <tm-record-button
          .label=${this.label}
          .classId=${this.classId}
          ?disabled=${this.disabled}
          ?recording=${this.recording}
          .settings=${this.recordingSettings}
          @tm-record-start=${this.forwardRecordEvent}
          @tm-record-end=${this.forwardRecordEvent}
          @tm-record-countdown=${this.forwardRecordEvent}
          @tm-record-cancel=${this.forwardRecordEvent}
        ></tm-record-button>
      </div>
      <input class="image-files" type="file" accept="image/*" multiple hidden @change=${this.onImagesPicked} />
    </div>`;
  }

  /** Shows the output picker (the default, "Nothing", keeps it out of the way until asked for) and focuses it. */
  private async openOutput(): Promise<void> {
    this.outputOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLSelectElement>('.output select')?.focus();
  }

  private renderOutput() {
    const sound = this.output.kind === 'sound' ? this.output : null;
    const chosen = outputChoice(this.output);
    const options = [
      ['none', 'Nothing'],
      ...Object.entries(TONES).map(([tone, { name }]) => [`tone:${tone}`, name]),
      ['sound', sound ? `Sound: ${sound.name}` : 'Sound file…'],
      ['speech', 'Say its name'],
      ['broadcast', 'Send to other pages'],
    ];
    // Each option's `selected` property, not the select's value: options render after the select's own bindings.
    const shown = this.outputOpen || this.output.kind !== 'none' || this.outputProblem !== null;
    return html`<div class="output" ?hidden=${!shown}>
        <label
          >When it is the best match
          <select aria-label=${`Output of ${this.label}`} @change=${this.onOutputChosen}>
            ${options.map(([value, text]) => html`<option value=${value} .selected=${live(value === chosen)}>${text}</option>`)}
          </select></label
        >
        ${sound
          ? html`<button type="button" class="secondary" aria-label=${`Pick another sound for ${this.label}`} @click=${this.pickSound}>
              Another sound…
            </button>`
          : null}
        <input class="sound-file" type="file" accept="audio/*" hidden @change=${this.onSoundPicked} />
      </div>
      ${this.outputProblem ? html`<p class="problem" role="alert">${this.outputProblem}</p>` : null}`;
  }

  private onOutputChosen(event: Event): void {
    const picker = event.currentTarget as HTMLSelectElement;
    const value = picker.value;
    if (value === 'sound') {
      // Until a file is picked and accepted, the picker shows the output the class still has.
      picker.value = outputChoice(this.output);
      this.pickSound();
      return;
    }
    const tone = value.startsWith('tone:') ? value.slice('tone:'.length) : null;
    const output: ClassOutput | null =
      value === 'none' || value === 'speech' || value === 'broadcast' ? { kind: value } : isToneName(tone) ? { kind: 'tone', tone } : null;
    if (output) this.fire<ClassOutputDetail>('tm-class-output-change', { classId: this.classId, output });
  }

  private pickSound(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input.sound-file')?.click();
  }

  private onSoundPicked(event: Event): void {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.fire<ClassSoundDetail>('tm-class-output-sound', { classId: this.classId, file });
  }

  private renderThumbnails(count: number) {
    const total = this.thumbnails.length;
    // The thumbnails are the newest `total` of `count` examples, so the newest is example number `count`.
    const newest = Math.max(count, total);
    const items = this.thumbnails.map((src, index) => ({ src, number: newest - (total - 1 - index) })).reverse();
    if (count === 0 && total === 0) return html`<p class="empty">No examples yet: hold the button while you show the camera this class.</p>`;
    return html`<ul class="thumbs" aria-label="Latest examples">
      ${repeat(
        items,
        (item) => item.number,
        (item) => html`<li><img src=${item.src} alt=${`Example ${item.number} of ${this.label}`} /></li>`,
      )}
    </ul>`;
  }

  private onNameInput(event: Event): void {
    this.draft = (event.currentTarget as HTMLInputElement).value;
    this.reportedLabel = null;
  }

  /**
   * Ends the edit and reports a changed, non-blank name. The input then shows `label` again, which is the new
   * name once the app accepts it; a blank name simply reverts.
   */
  private onNameCommit(event: Event): void {
    const input = event.currentTarget as HTMLInputElement;
    const label = input.value.trim();
    this.draft = null;
    if (!label || label === this.label || label === this.reportedLabel) {
      if (!label) input.value = this.label;
      return;
    }
    this.reportedLabel = label;
    this.fire<ClassRenameDetail>('tm-class-rename', { classId: this.classId, label });
  }

  private onNameKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      this.onNameCommit(event);
    } else if (event.key === 'Escape') {
      this.draft = null;
      this.reportedLabel = null;
      (event.currentTarget as HTMLInputElement).value = this.label;
      // Escape only undoes the edit; it should not also close a dialog the card sits in.
      event.stopPropagation();
    }
  }

  /** Ends this card's hold, countdown or timed recording (the camera failed, say); its events say which ended. */
  cancelRecording(): void {
    this.renderRoot.querySelector<TmRecordButton>('tm-record-button')?.release();
  }


  private onImagesPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.fire<ClassImagesDetail>('tm-class-add-images', { classId: this.classId, files });
  }

  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files') && !this.reorder.accepts(event)) return;
    event.preventDefault(); // allows the drop
    this.toggleAttribute('dropping', true);
  }

  private onDragLeave(): void {
    this.toggleAttribute('dropping', false);
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.toggleAttribute('dropping', false);
    if (this.reorder.drop(event)) return;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) this.fire<ClassImagesDetail>('tm-class-add-images', { classId: this.classId, files });
  }

  /** The button's events are stopped and fired again from the card, so listeners see each hold once. */
  private forwardRecordEvent(event: CustomEvent<RecordEventDetail>): void {
    event.stopPropagation();
    this.fire<RecordEventDetail>(event.type, { classId: event.detail.classId });
  }

  private fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-class-card': TmClassCard;
  }
  interface HTMLElementEventMap {
    'tm-class-rename': CustomEvent<ClassRenameDetail>;
    'tm-class-clear': CustomEvent<ClassEventDetail>;
    'tm-class-examples': CustomEvent<ClassEventDetail>;
    'tm-class-delete': CustomEvent<ClassEventDetail>;
    'tm-class-add-images': CustomEvent<ClassImagesDetail>;
    'tm-class-output-change': CustomEvent<ClassOutputDetail>;
    'tm-class-output-sound': CustomEvent<ClassSoundDetail>;
    'tm-class-move': CustomEvent<ClassMoveDetail>;
    'tm-class-enable': CustomEvent<ClassEnableDetail>;
  }
}
