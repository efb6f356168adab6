/**
 * How much the steady stream's smoothing removes flicker, and what delay it adds, on real webcam frames
 * (../shared/datasets/webcam-hand-gestures) classified by the real default MobileNet and the app's k-NN.
 * The frames of a class are different photos (people, poses), shown one per frame: a harsher stream than a
 * camera, whose consecutive frames are nearly equal. Logs the table the README quotes.
 */
import { expect } from '@open-wc/testing';
import { useBackend } from '../../src/platform/backend';
import { loadAppConfig } from '../../src/platform/config';
import { FrameGrabber } from '../../src/camera/frame';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import { loadEmbedder } from '../../src/models/loader';
import { PredictionStream, SMOOTHING_LEVELS, type SmoothingLevel, type StreamFrame } from '../../src/pipeline/prediction-stream';
import { Teachable } from '../../src/app/teachable';
import { framesByClass, loadImage, WEBCAM_FRAMES } from '../helpers/webcam-frames';

const CLASSES = ['up', 'right', 'down', 'left'];
const TRAIN_PER_CLASS = 15;
const SEGMENT_FRAMES = 20;
const SEGMENTS_PER_CLASS = 3;

interface Measured {
  readonly switches: number;
  readonly wrongSwitches: number;
  readonly accuracy: number;
  readonly meanDelay: number;
  readonly maxDelay: number;
  readonly missed: number;
}

/** Replays the frames through a stream; truth[i] is the class shown in frame i, segments of SEGMENT_FRAMES. */
function measure(level: SmoothingLevel, frames: readonly StreamFrame[], truth: readonly string[]): Measured {
  const stream = new PredictionStream(() => null, level);
  let switches = -1; // the first change, from nothing, is not a switch
  let wrongSwitches = 0;
  let correct = 0;
  const delays: number[] = [];
  let missed = 0;
  for (let start = 0; start < frames.length; start += SEGMENT_FRAMES) {
    let delay: number | null = null;
    for (let i = start; i < start + SEGMENT_FRAMES; i++) {
      const { prediction, change } = stream.push(frames[i]);
      if (change) {
        switches++;
        if (change.classId !== truth[i]) wrongSwitches++;
      }
      if (prediction.classId === truth[i]) {
        correct++;
        delay ??= i - start;
      }
    }
    if (start === 0) continue; // no earlier class to leave
    if (delay === null) missed++;
    else delays.push(delay);
  }
  return {
    switches,
    wrongSwitches,
    accuracy: correct / frames.length,
    meanDelay: delays.reduce((s, d) => s + d, 0) / delays.length,
    maxDelay: Math.max(...delays),
    missed,
  };
}

describe('the steady stream on real webcam frames', function () {
  it('removes most flicker for a delay of a few frames', async function () {
    const mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    if (!mirror || !(await fetch(`${WEBCAM_FRAMES}/frames.csv`)).ok) {
      console.warn('Skipping: needs ../shared/models and ../shared/datasets.');
      this.skip();
    }
    await useBackend('wasm');
    const embedder = await loadEmbedder(findModel(DEFAULT_MODEL_ID)!, { mirrorBase: mirror!, useCache: false });
    const teachable = new Teachable(0);
    teachable.setEmbedder(embedder);
    const grabber = new FrameGrabber();
    const byClass = await framesByClass(CLASSES);
    const ids = new Map<string, string>();
    for (const name of CLASSES) {
      const id = teachable.addClass(name).id;
      ids.set(name, id);
      for (const url of byClass.get(name)!.slice(0, TRAIN_PER_CLASS)) await teachable.processFrame(grabber.grab(await loadImage(url), false)!, id);
    }
    const frames: StreamFrame[] = [];
    const truth: string[] = [];
    for (let round = 0; round < SEGMENTS_PER_CLASS; round++) {
      for (const name of CLASSES) {
        const urls = byClass.get(name)!.slice(TRAIN_PER_CLASS + round * SEGMENT_FRAMES, TRAIN_PER_CLASS + (round + 1) * SEGMENT_FRAMES);
        for (const url of urls) {
          const { prediction } = await teachable.processFrame(grabber.grab(await loadImage(url), false)!, null);
          frames.push({ mode: 'knn', votes: prediction.votes, top: prediction.classId, time: frames.length });
          truth.push(ids.get(name)!);
        }
      }
    }
    teachable.dispose();
    embedder.dispose();

    const results = Object.fromEntries(SMOOTHING_LEVELS.map((level) => [level, measure(level, frames, truth)])) as Record<SmoothingLevel, Measured>;
    const segments = CLASSES.length * SEGMENTS_PER_CLASS;
    console.log(
      `${frames.length} frames, ${segments} segments of ${SEGMENT_FRAMES} (${segments - 1} true changes), ${TRAIN_PER_CLASS} examples per class, ${DEFAULT_MODEL_ID}\n` +
        'level | switches | wrong switches | frames right | mean delay | max delay | segments never reached\n' +
        SMOOTHING_LEVELS.map((level) => {
          const r = results[level];
          return `${level} | ${r.switches} | ${r.wrongSwitches} | ${(r.accuracy * 100).toFixed(1)}% | ${r.meanDelay.toFixed(2)} | ${r.maxDelay} | ${r.missed}`;
        }).join('\n'),
    );
    expect(results.low.wrongSwitches).to.be.below(results.off.wrongSwitches);
    expect(results.high.wrongSwitches).to.be.at.most(results.low.wrongSwitches);
    expect(results.low.meanDelay - results.off.meanDelay).to.be.at.most(3);
    expect(results.low.missed).to.equal(0);
  });
});
