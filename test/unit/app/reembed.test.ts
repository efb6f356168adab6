import { expect } from '@open-wc/testing';
import { useBackend } from '../../../src/platform/backend';
import type { Dataset } from '../../../src/dataset';
import { Embedder } from '../../../src/models/embedder';
import { hasThumbnails, reembedThumbnails, type ReembedProgress } from '../../../src/app/reembed';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyNetwork, tinySpec } from '../../helpers/tiny-model';

/** A 64 x 64 JPEG data URL of one colour, as the app's thumbnails are made. */
function thumbnail(colour: string): string {
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 64 });
  const context = canvas.getContext('2d')!;
  context.fillStyle = colour;
  context.fillRect(0, 0, 64, 64);
  return canvas.toDataURL('image/jpeg', 0.8);
}

describe('reembedThumbnails', () => {
  let embedder: Embedder;

  before(async () => {
    await useBackend('wasm');
    embedder = new Embedder(tinySpec(), tinyNetwork(8, 3));
  });

  after(() => embedder.dispose());

  // Vectors from some other, 256-number model: only the thumbnails can carry the classes over.
  const fromOtherModel: Dataset = {
    model: 'mobilenet-v1-0.25',
    dimension: 256,
    classes: [
      { label: 'Red', color: '#ff0000', vectors: new Float32Array(256 * 3), thumbnails: ['#dc1e1e', '#e62819', '#d21414'].map(thumbnail) },
      { label: 'Blue', color: '#0000ff', vectors: new Float32Array(256 * 2), thumbnails: ['#1e1edc', '#1928e6'].map(thumbnail) },
      { label: 'No pictures', color: '#00ff00', vectors: new Float32Array(256), thumbnails: [] },
    ],
  };

  it('embeds every thumbnail with the given model, keeping labels, colours and thumbnails', async () => {
    expect(hasThumbnails(fromOtherModel)).to.equal(true);
    const progress: ReembedProgress[] = [];
    const result = await reembedThumbnails(fromOtherModel, embedder, (p) => progress.push(p));
    expect(result.model).to.equal(embedder.spec.id);
    expect(result.dimension).to.equal(8);
    expect(result.classes.map((c) => [c.label, c.color, c.vectors.length / 8, c.thumbnails])).to.deep.equal(
      fromOtherModel.classes.map((c) => [c.label, c.color, c.thumbnails.length, c.thumbnails]),
    );
    expect(progress.at(-1)).to.deep.equal({ done: 5, total: 5 });

    const teachable = new Teachable(0);
    teachable.setEmbedder(embedder);
    teachable.importDataset(result, { mode: 'replace' });
    const [red, blue] = teachable.classes;
    expect((await teachable.processFrame(solidImage([220, 30, 30], 10), null)).prediction.classId).to.equal(red.id);
    expect((await teachable.processFrame(solidImage([30, 30, 220], 10), null)).prediction.classId).to.equal(blue.id);
    teachable.dispose();
  });

  it('says which thumbnail could not be decoded', async () => {
    const broken: Dataset = { ...fromOtherModel, classes: [{ ...fromOtherModel.classes[0], thumbnails: [thumbnail('#fff'), 'data:image/jpeg;base64,AAAA'] }] };
    let message = '';
    await reembedThumbnails(broken, embedder).catch((e: Error) => (message = e.message));
    expect(message).to.match(/classes\[0\], thumbnail 1: the image could not be decoded/);
    expect(hasThumbnails({ ...fromOtherModel, classes: [fromOtherModel.classes[2]] })).to.equal(false);
  });
});
