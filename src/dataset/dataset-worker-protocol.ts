/** Messages between the page and the dataset worker (dataset-worker.ts), which reads and writes dataset files. */
import type { SerializeOptions } from './serialize';
import type { Dataset, ParsedDataset } from './types';

export type DatasetWorkerRequest =
  | { readonly kind: 'read'; readonly file: Blob }
  | { readonly kind: 'write'; readonly dataset: Dataset; readonly options: SerializeOptions; readonly gzip: boolean };

/** Where the work is: a step's name, and how far it is through it when that can be told. */
export interface DatasetProgress {
  readonly step: 'reading' | 'unpacking' | 'checking' | 'writing' | 'compressing';
  readonly done?: number;
  readonly total?: number;
}

export type DatasetWorkerReply =
  | { readonly kind: 'progress'; readonly progress: DatasetProgress }
  | { readonly kind: 'read'; readonly dataset: ParsedDataset }
  | { readonly kind: 'written'; readonly blob: Blob }
  | { readonly kind: 'refused'; readonly problem: string; readonly where: string | null }
  | { readonly kind: 'failed'; readonly message: string };
