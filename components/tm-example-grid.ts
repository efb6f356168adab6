import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { CELL_PX, exampleGridStyles } from './tm-example-grid.styles';

export interface ExamplesDeleteDetail {
  readonly classId: string;
  /** Positions of the examples in the class, 0 the oldest. */
  readonly rows: readonly number[];
}

/** Rows of cells rendered beyond those in view, above and below, so that a fast scroll finds them drawn. */
const OVERSCAN_ROWS = 3;

/**
 * Every example of one class, in a virtualised grid: only the rows of cells in view (and a few around them) are in
 * the page, so 5,000 examples scroll as 50 do. Each cell shows the example's thumbnail where one is kept (the app
 * keeps those of the newest examples) and its number otherwise; each can be deleted, and several picked and deleted
 * together.
 *
 * @fires tm-examples-delete - ExamplesDeleteDetail: examples to delete.
 * @fires tm-examples-close - the grid's "Close" was pressed.
 */
@customElement('tm-example-grid')
export class TmExampleGrid extends LitElement {
  static override styles = exampleGridStyles;

  @property({ attribute: 'class-id' }) classId = '';
  @property() label = '';
  @property({ type: Number }) count = 0;
  /** The kept thumbnails, oldest first: those of the newest `thumbnails.length` examples. */
  @property({ attribute: false }) thumbnails: readonly string[] = [];

  @state() private selected: ReadonlySet<number> = new Set();
  /** The first row of cells rendered, and how many. */
  @state() private window = { first: 0, rows: 0 };
  @state() private columns = 1;

  @query('.viewport') private viewport!: HTMLElement | null;
  private readonly resize = new ResizeObserver(() => this.measure());

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  protected override firstUpdated(): void {
    if (this.viewport) this.resize.observe(this.viewport);
    this.measure();
    // Opened from a class card perhaps far below (a phone's list): the grid comes into view, its bottom at the
    // window's (its top is then clear of a phone's pinned camera strip), and the keyboard starts at its title.
    this.scrollIntoView({ block: 'end' });
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Positions move when examples go or the class changes: a selection would then name other examples.
    if ((changed.has('count') && changed.get('count') !== undefined) || changed.has('classId')) this.selected = new Set();
  }

  protected override render() {
    const columns = this.columns;
    const totalRows = Math.ceil(this.count / columns);
    const first = Math.min(this.window.first, Math.max(0, totalRows - 1));
    const last = Math.min(totalRows, first + this.window.rows);
    const cells: number[] = [];
    for (let i = first * columns; i < Math.min(this.count, last * columns); i++) cells.push(i);
    const n = this.selected.size;
    return html`<div class="toolbar">
        <h2 id="title" tabindex="-1">Examples of ${this.label} (${this.count.toLocaleString('en')})</h2>
        <button type="button" ?disabled=${this.count === 0} @click=${this.selectAll}>Select all</button>
        <button type="button" ?disabled=${n === 0} @click=${() => (this.selected = new Set())}>Select none</button>
        <button type="button" class="danger" ?disabled=${n === 0} @click=${() => this.deleteRows([...this.selected])}>
          Delete ${n ? `${n} selected` : 'selected'}
        </button>
        <button type="button" @click=${this.close}>Close</button>
      </div>
      ${this.count === 0 ? html`<p class="empty">No examples yet.</p>` : null}
      <div class="viewport" role="group" aria-labelledby="title" @scroll=${this.onScroll}>
        <div style="height:${totalRows * CELL_PX}px"></div>
        <div class="rows" style="top:${first * CELL_PX}px;grid-template-columns:repeat(${columns}, ${CELL_PX}px)">
          ${cells.map((row) => this.renderCell(row))}
        </div>
      </div>`;
  }

  private renderCell(row: number) {
    const thumbnail = this.thumbnails[row - (this.count - this.thumbnails.length)];
    const name = `Example ${row + 1}`;
    return html`<div class="cell">
      <button type="button" class="pick" role="checkbox" aria-checked=${this.selected.has(row) ? 'true' : 'false'} aria-label=${name} @click=${() => this.toggle(row)}>
        ${thumbnail ? html`<img src=${thumbnail} alt="" />` : html`<span>#${row + 1}</span>`}
      </button>
      <button type="button" class="remove" aria-label=${`Delete ${name.toLowerCase()}`} @click=${() => this.deleteRows([row])}>×</button>
    </div>`;
  }

  private onScroll(): void {
    this.measure();
  }

  /** The rows of cells in view, from the viewport's size and scroll. */
  private measure(): void {
    const viewport = this.viewport;
    if (!viewport) return;
    const columns = Math.max(1, Math.floor(viewport.clientWidth / CELL_PX));
    const first = Math.max(0, Math.floor(viewport.scrollTop / CELL_PX) - OVERSCAN_ROWS);
    const rows = Math.ceil(viewport.clientHeight / CELL_PX) + 2 * OVERSCAN_ROWS + 1;
    if (columns !== this.columns) this.columns = columns;
    if (first !== this.window.first || rows !== this.window.rows) this.window = { first, rows };
  }

  private toggle(row: number): void {
    const selected = new Set(this.selected);
    if (!selected.delete(row)) selected.add(row);
    this.selected = selected;
  }

  private selectAll(): void {
    this.selected = new Set(Array.from({ length: this.count }, (_, row) => row));
  }

  private deleteRows(rows: readonly number[]): void {
    if (rows.length === 0) return;
    const detail: ExamplesDeleteDetail = { classId: this.classId, rows: [...rows].sort((a, b) => a - b) };
    this.dispatchEvent(new CustomEvent<ExamplesDeleteDetail>('tm-examples-delete', { detail, bubbles: true, composed: true }));
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent<void>('tm-examples-close', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-example-grid': TmExampleGrid;
  }
  interface HTMLElementEventMap {
    'tm-examples-delete': CustomEvent<ExamplesDeleteDetail>;
    'tm-examples-close': CustomEvent<void>;
  }
}
