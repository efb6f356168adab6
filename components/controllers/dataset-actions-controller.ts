import type { ReactiveControllerHost } from 'lit';
import { checkFileSize, DatasetError, serializeKnnClassifier, type Dataset, type ImportMode } from '../../src/dataset';
import { readDatasetFile, writeDatasetFile, type DatasetProgress } from '../../src/dataset/in-worker';
import { EXPORT_FORMATS, type ExportFormat } from '../../src/dataset/export-formats';
import { FrameGrabber } from '../../src/camera/frame';
import { hasThumbnails, reembedThumbnails } from '../../src/app/reembed';
import { describeImport, type Teachable, type TeachableChange } from '../../src/app/teachable';

export interface DatasetActionsOptions {
  /** Called before an import replaces or merges classes, so that no recording writes into them meanwhile. */
  readonly beforeImport: () => void;
  /** Asks the user a yes/no question (window.confirm by default). */
  readonly confirm?: (question: string) => boolean;
  /**
   * Shows what an import will do and resolves with whether to go ahead (ConfirmController.ask); without it, imports
   * go ahead unasked.
   */
  readonly preview?: (question: string, confirmLabel: string, signal: AbortSignal) => Promise<boolean>;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why a file was refused, as the end of a sentence: the problem, then where in the file it is (a line and column, or
 * the field), e.g. `it is not valid JSON, as "R" does not belong here (line 1, column 1).`
 */
export function refusalText(error: unknown): string {
  if (!(error instanceof DatasetError)) return reason(error);
  const problem = error.problem.replace(/\.$/, '');
  return `${problem}${error.where ? ` (${error.where})` : ''}.`;
}

const isCancel = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** Memory ran out, in the page (a RangeError from a typed array) or in the worker that died reading the file. */
const isOutOfMemory = (error: unknown) =>
  error instanceof RangeError || (error instanceof Error && /out of memory|allocation failed|Array buffer allocation/i.test(error.message));

const count = (n: number) => n.toLocaleString('en');

function progressText(name: string, progress: DatasetProgress): string {
  switch (progress.step) {
    case 'reading':
      return `Reading ${name}…`;
    case 'unpacking':
      return `Unpacking ${name}…`;
    case 'checking':
      return `Checking ${name}…`;
    case 'writing':
      return `Writing the file: class ${progress.done ?? 0} of ${progress.total ?? 0}…`;
    case 'compressing':
      return 'Compressing the file…';
  }
}

/**
 * What the dataset toolbar and the class cards' "Add images…" do with files: export, import (with an offer to
 * embed again the pictures of a file made with another model) and adding image files to a class. Keeps the one
 * status line the toolbar shows. Reading and writing files runs in a worker and storing examples in steps, so the
 * page keeps predicting; an export or import under way can be cancelled, leaving everything as it was.
 */
export class DatasetActionsController {
  status = '';
  statusIsError = false;
  /** The export or import under way, if any: `cancel()` stops it. */
  busy: 'export' | 'import' | null = null;
  private running: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly options: DatasetActionsOptions,
  ) {
  }

  setStatus(text: string, isError = false): void {
    this.status = text;
    this.statusIsError = isError;
    this.host.requestUpdate();
  }

  /**
   * Shows `text` (which describes the classes as they are now, like "... are back.") until the user changes the
   * classes or examples, or another status replaces it.
   */
  setStatusUntilChange(text: string): void {
    this.setStatus(text);
    const onChange = (event: Event) => {
      const { kind } = (event as CustomEvent<TeachableChange>).detail;
      if (this.status !== text) this.teachable.removeEventListener('change', onChange);
      else if (kind !== 'model' && kind !== 'settings') {
        this.teachable.removeEventListener('change', onChange);
        this.setStatus('');
      }
    };
    this.teachable.addEventListener('change', onChange);
  }

  /** Stops the export or import under way; an import cancelled changes nothing. */
  cancel(): void {
    this.running?.abort();
  }

  async exportFile(format: ExportFormat = 'exact'): Promise<void> {
    const work = this.start('export');
    if (!work) return;
    const { encoding, gzip, extension } = EXPORT_FORMATS[format];
    try {
      this.setStatus('Reading the examples out…');
      const dataset: Dataset = await this.teachable.exportDataset({ thumbnails: true });
      const blob = await writeDatasetFile(dataset, { encoding, gzip, signal: work.signal, onProgress: (p) => this.setStatus(progressText('', p)) });
      const url = URL.createObjectURL(blob);
      const link = Object.assign(document.createElement('a'), { href: url, download: `teachable-examples${extension}` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.setStatus(`Exported ${(blob.size / 1e6).toFixed(1)} MB (${EXPORT_FORMATS[format].name}).`);
    } catch (error) {
      if (isCancel(error)) this.setStatus('Export cancelled.');
      else if (isOutOfMemory(error)) this.setStatus(`Export failed: there is not enough memory to write the file (${reason(error)}).`, true);
      else this.setStatus(`Export failed: ${reason(error)}`, true);
    } finally {
      this.finish(work);
    }
  }

  /** Downloads the current model's examples as knn-classifier's [label, numbers, shape] array (README shows how to load it). */
  async exportForKnnClassifier(): Promise<void> {
    const work = this.start('export');
    if (!work) return;
    try {
      const text = serializeKnnClassifier(await this.teachable.exportDataset({ thumbnails: false }));
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: 'knn-classifier-dataset.json' });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.setStatus(`Exported ${(text.length / 1e6).toFixed(1)} MB (for knn-classifier).`);
    } catch (error) {
      this.setStatus(`Export failed: ${reason(error)}`, true);
    } finally {
      this.finish(work);
    }
  }

  async importFile(file: File, mode: ImportMode): Promise<void> {
    const confirm = this.options.confirm ?? ((question: string) => window.confirm(question));
    const work = this.start('import');
    if (!work) return;
    const { signal } = work;
    try {
      checkFileSize(file.size);
      let dataset: Dataset = await readDatasetFile(file, { signal, onProgress: (p) => this.setStatus(progressText(file.name, p)) });
      const embedder = this.teachable.embedder;
      if (
        embedder &&
        dataset.model &&
        dataset.model !== embedder.spec.id &&
        hasThumbnails(dataset) &&
        confirm(`${file.name} was made with ${dataset.model}. Embed its pictures again with ${embedder.spec.name}, so you can use them now?`)
      ) {
        dataset = await reembedThumbnails(dataset, embedder, ({ done, total }) =>
          this.setStatus(`Embedding the pictures of ${file.name} again: ${done} of ${total}…`),
        );
      }
      signal.throwIfAborted();
      if (this.options.preview) {
        this.setStatus(`Importing ${file.name} waits for your answer below.`);
        const go = await this.options.preview(`${file.name}: ${describeImport(this.teachable.previewImport(dataset, { mode }))}`, mode === 'replace' ? 'Replace' : 'Add', signal);
        signal.throwIfAborted();
        if (!go) {
          this.setStatus(`${file.name} was not imported: your classes are as they were.`);
          return;
        }
      }
      this.options.beforeImport();
      const result = await this.teachable.importDatasetInSteps(dataset, {
        mode,
        signal,
        onRows: (done, total) => this.setStatus(`Importing ${file.name}: ${count(done)} of ${count(total)} examples…`),
      });
      const current = this.teachable.embedder?.spec.id;
      const elsewhere = current && result.modelId !== current ? ` They belong to ${result.modelId}: switch to it to use them.` : '';
      const skipped = result.duplicatesSkipped ? ` ${count(result.duplicatesSkipped)} already here were skipped.` : '';
      this.setStatus(`Imported ${count(result.examplesAdded)} examples from ${file.name}.${skipped}${elsewhere}`);
    } catch (error) {
      if (isCancel(error)) this.setStatus(`The import of ${file.name} was cancelled: your classes are as they were.`);
      else if (!(error instanceof DatasetError) && isOutOfMemory(error)) {
        this.setStatus(`${file.name} was not imported, and nothing changed: there is not enough memory for it (${reason(error)}).`, true);
      } else this.setStatus(`${file.name} was not imported, and nothing changed: ${refusalText(error)}`, true);
    } finally {
      this.finish(work);
    }
  }

  /** Marks an export or import as under way; null (with a message) while another is. */
  private start(kind: 'export' | 'import'): AbortController | null {
    if (this.running) {
      this.setStatus(`Wait for the ${this.busy} under way to finish, or cancel it.`, true);
      return null;
    }
    this.running = new AbortController();
    this.busy = kind;
    this.host.requestUpdate();
    return this.running;
  }

  private finish(work: AbortController): void {
    if (this.running !== work) return;
    this.running = null;
    this.busy = null;
    this.host.requestUpdate();
  }

  /** Each image file is cropped and embedded like a camera frame (not mirrored) and added to the class. */
  async addImages(classId: string, files: readonly File[]): Promise<void> {
    const label = () => this.teachable.classes.find((c) => c.id === classId)?.label ?? 'the class';
    if (!this.teachable.embedder) {
      this.setStatus('The model is not loaded yet: add the images again once it is ready.', true);
      return;
    }
    const grabber = new FrameGrabber();
    const unreadable: string[] = [];
    let added = 0;
    for (const [index, file] of files.entries()) {
      if (!this.teachable.hasClass(classId)) break;
      this.setStatus(`Adding images to ${label()}: ${index + 1} of ${files.length}…`);
      try {
        const bitmap = await createImageBitmap(file);
        const pixels = grabber.grab(bitmap, false);
        bitmap.close();
        if (!pixels || !this.teachable.embedder) throw new Error('no pixels');
        await this.teachable.processFrame(pixels, classId, () => grabber.thumbnail());
        added++;
      } catch {
        unreadable.push(file.name);
      }
    }
    const skipped = unreadable.length ? ` Could not read: ${unreadable.join(', ')}.` : '';
    this.setStatus(`Added ${added} of ${files.length} images to ${label()}.${skipped}`, unreadable.length > 0);
  }
}
