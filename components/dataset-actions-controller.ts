import type { ReactiveControllerHost } from 'lit';
import { checkFileSize, parseDataset, serializeDataset, serializeKnnClassifier, type Dataset, type ImportMode } from '../src/dataset';
import { FrameGrabber } from '../src/frame';
import { hasThumbnails, reembedThumbnails } from '../src/reembed';
import type { Teachable } from '../src/teachable';

export interface DatasetActionsOptions {
  /** Called before an import replaces or merges classes, so that no recording writes into them meanwhile. */
  readonly beforeImport: () => void;
  /** Asks the user a yes/no question (window.confirm by default). */
  readonly confirm?: (question: string) => boolean;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the dataset toolbar and the class cards' "Add images…" do with files: export, import (with an offer to
 * embed again the pictures of a file made with another model) and adding image files to a class. Keeps the one
 * status line the toolbar shows.
 */
export class DatasetActionsController {
  status = '';
  statusIsError = false;

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

  /** Downloads the current model's examples: in this app's format, or as knn-classifier's [label, numbers, shape] array. */
  async exportFile(form: 'app' | 'knn-classifier' = 'app'): Promise<void> {
    try {
      const dataset = await this.teachable.exportDataset({ thumbnails: form === 'app' });
      const text = form === 'app' ? serializeDataset(dataset) : serializeKnnClassifier(dataset);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const name = form === 'app' ? 'teachable-examples.json' : 'knn-classifier-dataset.json';
      const link = Object.assign(document.createElement('a'), { href: url, download: name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.setStatus(`Exported ${(text.length / 1e6).toFixed(1)} MB.`);
    } catch (error) {
      this.setStatus(`Export failed: ${reason(error)}`, true);
    }
  }

  async importFile(file: File, mode: ImportMode): Promise<void> {
    const confirm = this.options.confirm ?? ((question: string) => window.confirm(question));
    try {
      checkFileSize(file.size);
      let dataset: Dataset = parseDataset(await file.text());
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
      this.options.beforeImport();
      const result = this.teachable.importDataset(dataset, { mode });
      const current = this.teachable.embedder?.spec.id;
      const elsewhere = current && result.modelId !== current ? ` They belong to ${result.modelId}: switch to it to use them.` : '';
      this.setStatus(`Imported ${result.examplesAdded} examples from ${file.name}.${elsewhere}`);
    } catch (error) {
      this.setStatus(`${file.name} was not imported, and nothing changed: ${reason(error)}`, true);
    }
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
