import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { buttonStyles, controlStyles } from './control-styles';
import { confidencePercent } from './tm-confidence-bars';

import type { ImagePrediction } from '../src/app/try-image';

/** What the app answers for one image: the best class's label (null: none of these), every class's confidence. */
export type TryPrediction = ImagePrediction;

/** Images larger than these are refused before (bytes) or after (pixels) they are decoded. */
export const TRY_IMAGE_LIMITS = { maxBytes: 30 * 1024 * 1024, maxPixels: 40_000_000 } as const;

interface Tried {
  readonly id: number;
  readonly name: string;
  /** A small data URL of the image, or null when it could not be read. */
  readonly thumbnail: string | null;
  readonly prediction: TryPrediction | null;
  /** Why the image has no prediction. */
  readonly problem: string | null;
}

const THUMBNAIL_SIZE = 96;

/**
 * "Try an image": image files dropped onto the preview (the slotted element) or picked, each shown with its
 * thumbnail and the app's prediction, without adding it to any class. A file that is not an image, or too large, is
 * listed with why.
 */
@customElement('tm-try-images')
export class TmTryImages extends LitElement {
  static override styles = [
    buttonStyles,
    controlStyles,
    css`
      :host {
        display: block;
      }
      /* The same from the first frame on, so nothing under it moves when the first example arrives; on a phone, the
         camera's strip stays as short as it can (dropping files is a desktop gesture). */
      @media (max-width: 759px) {
        .hint {
          display: none;
        }
      }
      .drop {
        border-radius: 12px;
        outline-offset: 2px;
      }
      .drop.over {
        outline: 3px dashed var(--tm-accent, #1f5fd6);
      }
      ul {
        display: grid;
        gap: 0.5rem;
        margin: 0.5rem 0 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: grid;
        grid-template-columns: 48px 1fr;
        gap: 0.5rem;
        align-items: center;
      }
      img {
        width: 48px;
        height: 48px;
        object-fit: cover;
        border-radius: 4px;
      }
      .pick {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--tm-space-1, 0.25rem) var(--tm-space-2, 0.5rem);
        margin-top: var(--tm-space-2, 0.5rem);
      }
      .hint {
        font-size: var(--tm-text-sm, 0.875rem);
        color: var(--tm-muted, #57606a);
      }
      /* Under the phone strip's small preview: as wide as the preview, its words centred if they need two lines. */
      @media (max-width: 759px) {
        .pick button {
          width: 100%;
          border-radius: var(--tm-radius, 10px);
        }
      }
      .problem {
        color: var(--tm-danger, #b3261e);
      }
      p {
        margin: 0;
      }
    `,
  ];

  /** Classifies a decoded image; null while there is nothing to classify with (no model, no examples). */
  @property({ attribute: false }) classify: ((image: ImageBitmap) => Promise<TryPrediction>) | null = null;

  @state() private tried: readonly Tried[] = [];
  @state() private over = false;
  private nextId = 1;

  override render() {
    return html`<div
        class="drop ${this.over ? 'over' : ''}"
        @dragover=${this.onDragOver}
        @dragleave=${() => (this.over = false)}
        @drop=${this.onDrop}
      >
        <slot></slot>
      </div>
      <div class="pick">
        <button type="button" ?disabled=${!this.classify} @click=${() => this.renderRoot.querySelector('input')!.click()}>Try an image…</button>
        <input type="file" accept="image/*" multiple hidden @change=${this.onPick} />
        <span class="hint">or drop images onto the preview: they are not added to your classes.</span>
      </div>
      ${this.tried.length > 0
        ? html`<ul aria-label="Tried images" aria-live="polite">
            ${repeat(this.tried, (t) => t.id, (t) => this.renderTried(t))}
          </ul>`
        : nothing}`;
  }

  /** Classifies `files`, newest first in the list. */
  async tryFiles(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const tried = await this.tryFile(file);
      this.tried = [tried, ...this.tried].slice(0, 20);
    }
  }

  private renderTried(t: Tried) {
    return html`<li>
      ${t.thumbnail ? html`<img src=${t.thumbnail} alt=${t.name} />` : html`<span aria-hidden="true"></span>`}
      <div>
        <p><strong>${t.name}</strong>: ${t.prediction ? (t.prediction.label ?? 'Unknown — none of your classes') : nothing}</p>
        ${t.problem ? html`<p class="problem" role="alert">${t.problem}</p>` : nothing}
        ${t.prediction
          ? html`<p class="confidences">
              ${t.prediction.confidences.map((c) => `${c.label} ${confidencePercent(c.confidence)}%`).join(' · ')}
            </p>`
          : nothing}
      </div>
    </li>`;
  }

  private async tryFile(file: File): Promise<Tried> {
    const id = this.nextId++;
    const refuse = (problem: string, thumbnail: string | null = null): Tried => ({ id, name: file.name, thumbnail, prediction: null, problem });
    if (file.type && !file.type.startsWith('image/')) return refuse(`${file.name} is not an image.`);
    if (file.size > TRY_IMAGE_LIMITS.maxBytes) {
      return refuse(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB; images of at most ${TRY_IMAGE_LIMITS.maxBytes / 1024 / 1024} MB can be tried.`);
    }
    let image: ImageBitmap;
    try {
      image = await createImageBitmap(file);
    } catch {
      return refuse(`${file.name} is not an image this browser can read.`);
    }
    try {
      if (image.width * image.height > TRY_IMAGE_LIMITS.maxPixels) {
        return refuse(`${file.name} is ${image.width} x ${image.height} pixels; images of at most ${TRY_IMAGE_LIMITS.maxPixels / 1e6} megapixels can be tried.`);
      }
      const thumbnail = thumbnailOf(image);
      if (!this.classify) return refuse('There is nothing to compare it with yet: load a model and record examples first.', thumbnail);
      try {
        return { id, name: file.name, thumbnail, prediction: await this.classify(image), problem: null };
      } catch (error) {
        return refuse(`${file.name} could not be classified (${error instanceof Error ? error.message : String(error)}).`, thumbnail);
      }
    } finally {
      image.close();
    }
  }

  private onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.over = true;
  };

  private onDrop = (event: DragEvent) => {
    this.over = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void this.tryFiles(files);
  };

  private onPick = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    void this.tryFiles(files);
  };
}

/** The centre square of `image` as a small JPEG data URL. */
function thumbnailOf(image: ImageBitmap): string {
  const side = Math.min(image.width, image.height);
  const canvas = Object.assign(document.createElement('canvas'), { width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE });
  canvas.getContext('2d')!.drawImage(image, (image.width - side) / 2, (image.height - side) / 2, side, side, 0, 0, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  return canvas.toDataURL('image/jpeg', 0.8);
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-try-images': TmTryImages;
  }
}
