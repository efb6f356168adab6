import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { Teachable } from '../../../src/app/teachable';
import { FramePipeline } from '../../../src/pipeline/frame-pipeline';
import { pausedVideoOf } from '../../helpers/paused-video';
import { tinyEmbedderPair } from '../../helpers/tiny-model';

describe('FramePipeline', () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;
  let camera: { video: HTMLVideoElement; stop: () => void };

  beforeEach(async () => {
    teachable = new Teachable();
    const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#c33';
    context.fillRect(0, 0, 64, 48);
    camera = await pausedVideoOf(canvas);
  });

  afterEach(() => {
    camera.stop();
    teachable.dispose();
  });

  it('gives nothing while no model is loaded', async () => {
    expect(await new FramePipeline(teachable).step(camera.video, true, null)).to.equal(null);
  });

  it("runs a camera frame one way: recorded with its thumbnail, classified, and into the teachable's stream", async () => {
    teachable.setEmbedder(tiny.a);
    const frames = new FramePipeline(teachable);
    const [first] = teachable.classes;
    const tensors = tf.memory().numTensors;
    const recorded = await frames.step(camera.video, true, first.id);
    expect(recorded?.recordedTo).to.equal(first.id);
    expect(teachable.exampleCount(first.id)).to.equal(1);
    expect(teachable.thumbnails(first.id)).to.have.length(1);
    const result = await frames.step(camera.video, true, null);
    expect(result?.prediction.classId).to.equal(first.id);
    expect(result?.stream?.prediction).to.deep.include({ rawClassId: first.id, mode: 'knn' });
    expect(teachable.stream.latest).to.equal(result?.stream?.prediction);
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(tensors);
  });
});
