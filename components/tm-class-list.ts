import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ClassInfo } from '../src/app/teachable';
import { DEFAULT_RECORDING, type RecordingSettings } from '../src/app/timed-recording';
import { NO_OUTPUT } from '../src/outputs/class-output';
import './tm-class-card';
import type { TmClassCard } from './tm-class-card';
import { classListStyles } from './tm-class-list.styles';

/** What the list shows of one class. */
export interface ClassListEntry {
  readonly info: ClassInfo;
  readonly count: number;
  /** Data URLs of the class's latest examples, newest last. */
  readonly thumbnails: readonly string[];
  /** Why the last sound file picked for the class was refused, or null. */
  readonly outputProblem: string | null;
}

const sameStrings = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * The class cards, in the classes' order: the up and down arrows on a record button move to the next card's record
 * button. Each card's events (recording, rename, move, clear, delete, outputs...: see TmClassCard) bubble out of the
 * list as the card fired them; the app changes the data.
 *
 * A card updates only when what it shows changes: the stable top class (`activeClassId`) is set here on each change
 * of it, without the app rendering again, and a card's thumbnails that are the same as before keep their array.
 *
 * @fires tm-record-start - `{classId}` (from a card)
 * @fires tm-record-end - `{classId}` (from a card)
 * @fires tm-record-countdown - `{classId}` (from a card)
 * @fires tm-record-cancel - `{classId}` (from a card)
 * @fires tm-class-rename - `{classId, label}` (from a card)
 * @fires tm-class-move - `{classId, index}` (from a card's handle)
 * @fires tm-class-enable - `{classId, enabled}` (from a card)
 * @fires tm-class-clear - `{classId}` (from a card)
 * @fires tm-class-delete - `{classId}` (from a card)
 * @fires tm-class-examples - `{classId}` (from a card)
 * @fires tm-class-add-images - `{classId, files}` (from a card)
 * @fires tm-class-output-change - `{classId, output}` (from a card)
 * @fires tm-class-output-sound - `{classId, file}` (from a card)
 */
@customElement('tm-class-list')
export class TmClassList extends LitElement {
  static override styles = classListStyles;

  @property({ attribute: false }) entries: readonly ClassListEntry[] = [];
  /** The stable top class, whose card says "Best match"; null for none. */
  @property({ attribute: false }) activeClassId: string | null = null;
  /** The class being recorded into, or null. */
  @property({ attribute: false }) recordingClassId: string | null = null;
  @property({ attribute: false }) recordingSettings: RecordingSettings = DEFAULT_RECORDING;
  /** Recording is possible (the model is loaded). */
  @property({ type: Boolean }) ready = false;

  /** The thumbnails each card was last given, kept while the same ones come again (so the card need not update). */
  private shownThumbnails = new Map<string, readonly string[]>();

  /** Every card, in order. */
  get cards(): TmClassCard[] {
    return [...this.renderRoot.querySelectorAll<TmClassCard>('tm-class-card')];
  }

  /** Puts the keyboard focus on the first class's record button (the app's skip link leads there). */
  focusFirstRecordButton(): void {
    this.cards[0]?.focusRecordButton();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('entries')) return;
    const kept = new Map<string, readonly string[]>();
    for (const { info, thumbnails } of this.entries) {
      const before = this.shownThumbnails.get(info.id);
      kept.set(info.id, before && sameStrings(before, thumbnails) ? before : thumbnails);
    }
    this.shownThumbnails = kept;
  }

  protected override render() {
    const { entries } = this;
    if (entries.length === 0) return html`<p class="empty">Add a class, then hold its button to record examples of it.</p>`;
    return html`<div class="classes" @keydown=${this.onKeyDown}>
      ${repeat(
        entries,
        (entry) => entry.info.id,
        ({ info, count, outputProblem }, position) => html`<tm-class-card
          .classId=${info.id}
          .label=${info.label}
          .color=${info.color}
          .count=${count}
          .thumbnails=${this.shownThumbnails.get(info.id) ?? []}
          .active=${this.activeClassId === info.id}
          .output=${info.output ?? NO_OUTPUT}
          .outputProblem=${outputProblem}
          .recording=${this.recordingClassId === info.id}
          .recordingSettings=${this.recordingSettings}
          .off=${info.disabled === true}
          .position=${position}
          .classCount=${entries.length}
          .disabled=${!this.ready}
          .canDelete=${true}
        ></tm-class-card>`,
      )}
    </div>`;
  }

  /** Up and down arrows on a record button move to the previous or next class's record button. */
  private onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    const path = event.composedPath();
    if (!step || !path.some((node) => node instanceof HTMLElement && node.localName === 'tm-record-button')) return;
    const { cards } = this;
    const next = cards[cards.findIndex((card) => path.includes(card)) + step];
    if (!next) return;
    event.preventDefault();
    next.focusRecordButton();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-class-list': TmClassList;
  }
}
