/**
 * The cached-start page: the whole app (<tm-app>) as a visitor gets it, fed by Chromium's fake camera. It notes
 * when the first prediction is on screen: the first Teachable.processFrame has resolved and the app and its
 * bars have re-rendered with it. Times are from navigation start.
 */
import '../../components/tm-app';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import type { TmModeBars } from '../../components/tm-mode-bars';
import type { TmModelPanel } from '../../components/tm-model-panel';

export interface StartResult {
  /** ms from navigation start to the first prediction's bars rendered. */
  readonly first_prediction_ms: number;
  /** Where the model came from on this visit: 'cache' (IndexedDB) or 'network'. */
  readonly model_source: string | null;
  readonly backend: string | null;
}

declare global {
  interface Window {
    benchStart?: StartResult;
  }
}

const app = document.createElement('tm-app');
const { teachable } = app;
const processFrame = teachable.processFrame.bind(teachable);
let seen = false;
// Observes the app's own object rather than changing it: the wrapper only notes when the first call resolves.
teachable.processFrame = async (...args) => {
  const result = await processFrame(...args);
  if (!seen) {
    seen = true;
    void noteFirstPrediction();
  }
  return result;
};
document.body.append(app);

async function noteFirstPrediction(): Promise<void> {
  // tm-app sets the prediction when processFrame resolves, then renders the bars from it.
  await new Promise((done) => setTimeout(done, 0));
  await app.updateComplete;
  const root = app.shadowRoot!;
  const modeBars = root.querySelector<TmModeBars>('tm-mode-bars');
  await modeBars?.updateComplete;
  await modeBars?.shadowRoot?.querySelector<TmConfidenceBars>('tm-confidence-bars')?.updateComplete;
  const panel = root.querySelector<TmModelPanel>('tm-model-panel');
  window.benchStart = {
    first_prediction_ms: performance.now(),
    model_source: panel?.progressSource ?? null,
    backend: panel?.backend ?? null,
  };
}
