/** Messages between the page and the dataset worker (dataset-worker.ts), which reads and writes dataset files. */
import type { SerializeOptions } from './serialize';
import type { Dataset, ParsedDataset } from './types';

/**
 * Kept frames of one class, sent apart from the dataset FRAMES_PER_MESSAGE at a time, before it: copying a message
 * blocks the thread that sends it and the one that takes it, and 10,000 frames (96 MB) in one took 160 to 390 ms.
 */
export interface FramesPiece {
  readonly kind: 'frames';
  readonly classIndex: number;
  readonly urls: readonly string[];
}

export const FRAMES_PER_MESSAGE = 512;

export type DatasetWorkerRequest =
  | FramesPiece
  | { readonly kind: 'read'; readonly file: Blob }
  /** The dataset's frames came before it (FramesPiece); its classes' own `thumbnails` are empty. */
  | { readonly kind: 'write'; readonly dataset: Dataset; readonly options: SerializeOptions; readonly gzip: boolean };

/** Where the work is: a step's name, and how far it is through it when that can be told. */
export interface DatasetProgress {
  readonly step: 'reading' | 'unpacking' | 'checking' | 'writing' | 'compressing';
  readonly done?: number;
  readonly total?: number;
}

export type DatasetWorkerReply =
  | FramesPiece
  | { readonly kind: 'progress'; readonly progress: DatasetProgress }
  /** The dataset's frames came before it (FramesPiece); its classes' own `thumbnails` are empty. */
  | { readonly kind: 'read'; readonly dataset: ParsedDataset }
  | { readonly kind: 'written'; readonly blob: Blob }
  | { readonly kind: 'refused'; readonly problem: string; readonly where: string | null }
  | { readonly kind: 'failed'; readonly message: string };

/** `dataset`'s frames as pieces to send before it, and the dataset without them. */
export function framesApart<T extends Dataset>(dataset: T): { pieces: FramesPiece[]; rest: T } {
  const pieces: FramesPiece[] = [];
  dataset.classes.forEach((c, classIndex) => {
    for (let start = 0; start < c.thumbnails.length; start += FRAMES_PER_MESSAGE) {
      pieces.push({ kind: 'frames', classIndex, urls: c.thumbnails.slice(start, start + FRAMES_PER_MESSAGE) });
    }
  });
  return { pieces, rest: { ...dataset, classes: dataset.classes.map((c) => ({ ...c, thumbnails: [] })) } };
}

/** Collects the pieces framesApart made, and puts them back into the dataset that follows them. */
export class FramesTogether {
  private readonly byClass = new Map<number, string[]>();

  add(piece: FramesPiece): void {
    const urls = this.byClass.get(piece.classIndex) ?? [];
    for (const url of piece.urls) urls.push(url);
    this.byClass.set(piece.classIndex, urls);
  }

  into<T extends Dataset>(dataset: T): T {
    return { ...dataset, classes: dataset.classes.map((c, i) => ({ ...c, thumbnails: this.byClass.get(i) ?? [] })) };
  }
}
