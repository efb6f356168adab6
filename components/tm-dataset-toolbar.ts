import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ImportMode } from '../src/dataset';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../src/dataset/export-formats';

export interface DatasetExportDetail {
  readonly format: ExportFormat;
}
import { datasetToolbarStyles } from './tm-dataset-toolbar.styles';

export interface DatasetImportDetail {
  readonly file: File;
  readonly mode: ImportMode;
}

/**
 * Saving and loading the examples: export to a JSON file, import one (replacing or merging), clear all.
 * It only reports what the user asked for; the app does the work and says how it went via `status`.
 *
 * @fires tm-dataset-export - `{format}`: Export was pressed.
 * @fires tm-dataset-export-knn-classifier - "Export for knn-classifier" was pressed.
 * @fires tm-dataset-import - `{file, mode}`: a file was chosen.
 * @fires tm-dataset-cancel - Cancel was pressed while an export or import runs.
 * @fires tm-dataset-clear - Clear all was pressed and confirmed.
 */
@customElement('tm-dataset-toolbar')
export class TmDatasetToolbar extends LitElement {
  static override styles = datasetToolbarStyles;

  /** The outcome of the last save, load or autosave, shown as text. */
  @property() status = '';
  @property({ type: Boolean, attribute: 'status-is-error' }) statusIsError = false;
  /** Nothing to export yet. */
  @property({ type: Boolean }) empty = true;
  /** An export or import under way: the status line says how far it is, and Cancel stops it. */
  @property() busy: 'export' | 'import' | null = null;
  @state() private format: ExportFormat = 'exact';
  @state() private mode: ImportMode = 'replace';
  @state() private confirmingClear = false;

  override render() {
    return html`<div class="row" role="group" aria-label="Save and load examples">
        <button type="button" ?disabled=${this.empty || this.busy !== null} @click=${() => this.fire<DatasetExportDetail>('tm-dataset-export', { format: this.format })}>
          Export examples
        </button>
        <select name="export-format" aria-label="How to export" @change=${this.onFormatChange}>
          ${Object.entries(EXPORT_FORMATS).map(([value, { name }]) => html`<option value=${value} ?selected=${this.format === value}>${name}</option>`)}
        </select>
        <button type="button" ?disabled=${this.empty} @click=${() => this.fire('tm-dataset-export-knn-classifier', undefined)}>
          Export for knn-classifier
        </button>
        <label
          >Import
          <select name="import-mode" aria-label="How to import" @change=${this.onModeChange}>
            <option value="replace" ?selected=${this.mode === 'replace'}>replacing my classes</option>
            <option value="merge" ?selected=${this.mode === 'merge'}>adding to my classes</option>
          </select></label
        >
        <button type="button" ?disabled=${this.busy !== null} @click=${this.pickFile}>Choose file…</button>
        <input type="file" accept=".json,.gz,application/json,application/gzip" hidden @change=${this.onFile} />
        ${this.busy ? html`<button type="button" @click=${() => this.fire('tm-dataset-cancel', undefined)}>Cancel ${this.busy}</button>` : nothing}
        ${this.confirmingClear
          ? html`<span role="alert">Remove every class and example?</span>
              <button type="button" class="danger" @click=${this.confirmClear}>Yes, clear all</button>
              <button type="button" @click=${() => (this.confirmingClear = false)}>Keep them</button>`
          : html`<button type="button" class="danger" @click=${() => (this.confirmingClear = true)}>Clear all</button>`}
      </div>
      ${this.status
        ? html`<p class="status ${this.statusIsError ? 'error' : ''}" role=${this.statusIsError ? 'alert' : 'status'}>
            ${this.status}
          </p>`
        : nothing}`;
  }

  private onFormatChange = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    if (isExportFormat(value)) this.format = value;
  };

  private onModeChange = (event: Event) => {
    this.mode = (event.target as HTMLSelectElement).value as ImportMode;
  };

  private pickFile = () => {
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  };

  private onFile = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // choosing the same file again must fire change again
    if (file) this.fire<DatasetImportDetail>('tm-dataset-import', { file, mode: this.mode });
  };

  private confirmClear = () => {
    this.confirmingClear = false;
    this.fire('tm-dataset-clear', undefined);
  };

  private fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-dataset-toolbar': TmDatasetToolbar;
  }
  interface HTMLElementEventMap {
    'tm-dataset-export': CustomEvent<DatasetExportDetail>;
    'tm-dataset-cancel': CustomEvent<void>;
    'tm-dataset-export-knn-classifier': CustomEvent<void>;
    'tm-dataset-import': CustomEvent<DatasetImportDetail>;
    'tm-dataset-clear': CustomEvent<void>;
  }
}
