/**
 * The app's answer on the exported page's own camera frames, for test/node/web-page.test.mjs: the app's Teachable
 * (its store, vote, calibration and stream) with the page's classes file and model, bundled by the test into a tab beside the page.
 */
import { Teachable } from '../../../src/app/teachable';
import { FrameGrabber } from '../../../src/camera/frame';
import { parseDatasetBytes } from '../../../src/dataset';
import { findModel } from '../../../src/models/catalog';
import { loadEmbedder } from '../../../src/models/loader';
import * as tf from '@tensorflow/tfjs';
import { pausedVideoOf } from '../../helpers/paused-video';

export interface AppAnswer {
  readonly label: string | null;
  readonly confidences: Record<string, number>;
  readonly backend: string;
}

const app = new Teachable(0);
const grabber = new FrameGrabber();

async function load(classesUrl: string, modelsBase: string): Promise<void> {
  const dataset = parseDatasetBytes(new Uint8Array(await (await fetch(classesUrl)).arrayBuffer()));
  app.setEmbedder(await loadEmbedder(findModel(dataset.model!)!, { mirrorBase: modelsBase, useCache: false }));
  app.importDataset(dataset, { mode: 'replace' });
}

/** The app on a frame of `canvas` (mirrored, as the app grabs its camera). */
async function classify(canvas: HTMLCanvasElement): Promise<AppAnswer> {
  const { video, stop } = await pausedVideoOf(canvas);
  const pixels = grabber.grab(video, true)!;
  stop();
  if (app.classes.length > 0 && !(window as { calibrated?: boolean }).calibrated) {
    // As the app is a frame after its examples changed: the store refitted and the vote calibrated.
    await app.processFrame(pixels, null);
    await app.settled();
    await app.recalibrate();
    (window as { calibrated?: boolean }).calibrated = true;
  }
  const frame = await app.processFrame(pixels, null);
  const labelOf = (id: string) => app.classes.find((c) => c.id === id)!.label;
  return {
    label: frame.unknown ? null : labelOf(frame.prediction.classId!),
    confidences: Object.fromEntries(frame.prediction.votes.map((v) => [labelOf(v.classId), v.confidence])),
    backend: tf.getBackend(),
  };
}

(window as unknown as { appReference: unknown }).appReference = { load, classify };
