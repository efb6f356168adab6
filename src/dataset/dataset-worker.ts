/**
 * The dataset worker: reads a chosen file (unpacking gzip, JSON.parse, base64 and every check of parse.ts) and
 * writes an exported one (base64, JSON, gzip), the seconds of work that would otherwise freeze the page at tens of
 * thousands of examples. One request per worker: the page ends it when the work is done or cancelled.
 */
import { framesApart, FramesTogether, type DatasetProgress, type DatasetWorkerReply, type DatasetWorkerRequest } from './dataset-worker-protocol';
import { DatasetError } from './errors';
import { gunzip, gzip, isGzip } from './gzip';
import { checkFileSize, parseDatasetBytes } from './parse';
import { serializeDatasetParts } from './serialize';

// The DOM typings this project builds with do not include the worker's global scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DatasetWorkerRequest>) => void) | null;
  postMessage(message: DatasetWorkerReply, transfer?: Transferable[]): void;
};

const progress = (value: DatasetProgress) => scope.postMessage({ kind: 'progress', progress: value });

async function read(file: Blob): Promise<void> {
  checkFileSize(file.size);
  progress({ step: 'reading' });
  let bytes = new Uint8Array(await file.arrayBuffer());
  if (isGzip(bytes)) {
    progress({ step: 'unpacking' });
    bytes = await gunzip(bytes);
  }
  progress({ step: 'checking' });
  const { pieces, rest } = framesApart(parseDatasetBytes(bytes));
  for (const piece of pieces) scope.postMessage(piece);
  // Each class's vectors have their own buffer: handed over, not copied.
  const buffers = new Set(rest.classes.map((c) => c.vectors.buffer as ArrayBuffer));
  scope.postMessage({ kind: 'read', dataset: rest }, [...buffers]);
}

const frames = new FramesTogether();

async function write(request: Extract<DatasetWorkerRequest, { kind: 'write' }>): Promise<void> {
  const parts = serializeDatasetParts(frames.into(request.dataset), request.options, (done, total) => progress({ step: 'writing', done, total }));
  if (request.gzip) progress({ step: 'compressing' });
  const blob = request.gzip ? await gzip(parts) : new Blob(parts, { type: 'application/json' });
  scope.postMessage({ kind: 'written', blob });
}

scope.onmessage = (event: MessageEvent<DatasetWorkerRequest>) => {
  const request = event.data;
  if (request.kind === 'frames') return frames.add(request);
  (request.kind === 'read' ? read(request.file) : write(request)).catch((error: unknown) => {
    scope.postMessage(
      error instanceof DatasetError
        ? { kind: 'refused', problem: error.problem, where: error.where }
        : { kind: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
    );
  });
};
