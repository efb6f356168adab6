/**
 * The soak page: the whole app (<tm-app>, the default model, Chromium's fake camera) predicting on every camera
 * frame while a class is held for part of every cycle, as a person recording on and off would. The Node side
 * (scripts/soak.mjs) reads `window.soak.sample()` once a minute, with the JS heap from the DevTools protocol.
 */
import * as tf from '@tensorflow/tfjs';
import '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmModelPanel } from '../../components/tm-model-panel';

export interface SoakSample {
  /** Frames the app's loop has run through Teachable.processFrame since the page opened. */
  readonly frames: number;
  /** Of those, frames recorded into a class. */
  readonly recorded_frames: number;
  readonly examples: number;
  readonly tensors: number;
  readonly tensor_bytes: number;
  /** Bytes the k-NN stores hold (WebAssembly memory and arrays, outside the JS heap the Node side reads). */
  readonly store_bytes: number;
  readonly model_status: string | null;
  readonly backend: string | null;
}

export interface SoakJob {
  /** Each cycle holds a class (the next one in turn) for `holdMs`, then releases it for the rest of `cycleMs`. */
  readonly cycleMs: number;
  readonly holdMs: number;
}

declare global {
  interface Window {
    soak?: {
      ready(): Promise<SoakSample>;
      start(job: SoakJob): void;
      stop(): Promise<void>;
      sample(): SoakSample;
    };
  }
}

const app = document.createElement('tm-app');
app.databaseName = `soak-${Date.now()}`;
const { teachable } = app;
const processFrame = teachable.processFrame.bind(teachable);
let frames = 0;
let recordedFrames = 0;
// Observes the app's own object rather than changing it: the wrapper only counts the frames it handles.
teachable.processFrame = async (pixels, recordTo, thumbnail) => {
  const result = await processFrame(pixels, recordTo, thumbnail);
  frames++;
  if (recordTo) recordedFrames++;
  return result;
};
document.body.append(app);

const cards = () => [...(app.shadowRoot?.querySelector('tm-class-list')?.shadowRoot?.querySelectorAll<TmClassCard>('tm-class-card') ?? [])];
const panel = () => app.shadowRoot?.querySelector<TmModelPanel>('tm-model-panel') ?? null;

function sample(): SoakSample {
  const memory = tf.memory();
  return {
    frames,
    recorded_frames: recordedFrames,
    examples: teachable.classes.reduce((sum, c) => sum + teachable.exampleCount(c.id), 0),
    tensors: memory.numTensors,
    tensor_bytes: memory.numBytes,
    store_bytes: teachable.storeBytes,
    model_status: panel()?.status ?? null,
    backend: panel()?.backend ?? null,
  };
}

/** The card's own events, as its record button sends them while held. */
function hold(card: TmClassCard, type: 'tm-record-start' | 'tm-record-end'): void {
  card.dispatchEvent(new CustomEvent(type, { detail: { classId: card.classId }, bubbles: true, composed: true }));
}

let timers: number[] = [];
let held: TmClassCard | null = null;
let cycle = 0;

function release(): void {
  if (held) hold(held, 'tm-record-end');
  held = null;
}

window.soak = {
  async ready() {
    const start = frames;
    while (frames < start + 10) {
      if (panel()?.status === 'error') throw new Error(`the model did not load: ${panel()?.errorMessage ?? ''}`);
      await new Promise((done) => setTimeout(done, 200));
    }
    return sample();
  },
  start({ cycleMs, holdMs }) {
    if (holdMs === 0) return;
    const beginCycle = () => {
      const all = cards();
      if (all.length === 0) return;
      release();
      held = all[cycle++ % all.length];
      hold(held, 'tm-record-start');
      timers.push(window.setTimeout(release, holdMs));
    };
    beginCycle();
    timers.push(window.setInterval(beginCycle, cycleMs));
  },
  async stop() {
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    release();
    // The last recorded frame may still be in flight.
    await new Promise((done) => setTimeout(done, 500));
  },
  sample,
};
