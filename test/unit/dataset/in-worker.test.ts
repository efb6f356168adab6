import { expect } from '@open-wc/testing';
import type { Dataset } from '../../../src/dataset';
import { readDatasetFile, writeDatasetFile } from '../../../src/dataset/in-worker';

const DIM = 256; // MobileNet V1 0.25's

function dataset(frames: number[]): Dataset {
  return {
    model: 'mobilenet-v1-0.25',
    dimension: DIM,
    classes: frames.map((n, c) => ({
      label: `Class ${c + 1}`,
      color: null,
      vectors: Float32Array.from({ length: n * DIM }, (_, i) => ((i * 7 + c) % 11) / 11),
      thumbnails: Array.from({ length: n }, (_, r) => `data:image/jpeg;base64,${btoa(`${c}:${r}`.padEnd(9))}`),
    })),
  };
}

/** Counts the messages of each kind the page sends to workers and gets from them. */
function spyOnMessages(): { sent: string[]; received: string[]; restore: () => void } {
  const sent: string[] = [];
  const received: string[] = [];
  const post = Worker.prototype.postMessage;
  const listen = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage')!;
  // The app sends messages with a transfer list or none (not the options form).
  Worker.prototype.postMessage = function (this: Worker, message: { kind?: string }, transfer: Transferable[] = []) {
    sent.push(message?.kind ?? '?');
    post.call(this, message, { transfer });
  } as Worker['postMessage'];
  Object.defineProperty(Worker.prototype, 'onmessage', {
    ...listen,
    set(this: Worker, handler: ((event: MessageEvent) => void) | null) {
      const counted = (event: MessageEvent<{ kind?: string }>) => {
        received.push(event.data?.kind ?? '?');
        handler?.call(this, event);
      };
      listen.set!.call(this, handler && counted);
    },
  });
  return {
    sent,
    received,
    restore: () => {
      Worker.prototype.postMessage = post;
      Object.defineProperty(Worker.prototype, 'onmessage', listen);
    },
  };
}

describe('Dataset files in the worker', () => {
  it('sends kept frames apart from the dataset, 512 a message, both ways, and keeps every one', async () => {
    const original = dataset([1300, 3, 0]);
    const copy = { ...original, classes: original.classes.map((c) => ({ ...c, vectors: c.vectors.slice() })) };
    const messages = spyOnMessages();
    let file: Blob;
    let back: Dataset;
    try {
      file = await writeDatasetFile(copy);
      back = await readDatasetFile(file);
    } finally {
      messages.restore();
    }
    // 1,300 frames in 3 pieces, 3 in 1: to the worker before "write", from it before "read".
    expect(messages.sent).to.deep.equal(['frames', 'frames', 'frames', 'frames', 'write', 'read']);
    expect(messages.received.filter((kind) => kind !== 'progress')).to.deep.equal(['written', 'frames', 'frames', 'frames', 'frames', 'read']);
    expect(back.classes.map((c) => c.thumbnails)).to.deep.equal(original.classes.map((c) => c.thumbnails));
    expect(back.classes.map((c) => Array.from(c.vectors))).to.deep.equal(original.classes.map((c) => Array.from(c.vectors)));
  });
});
