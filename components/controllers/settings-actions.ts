import type { Teachable } from '../../src/app/teachable';
import type { HostEventHandlers } from './host-events-controller';
import type { PredictionEventsController } from './prediction-events-controller';

/** The events of the settings panels (recording, vote, classifier mode, dense head, "unknown", prediction view). */
export type SettingsEvent =
  | 'tm-recording-settings-change'
  | 'tm-vote-change'
  | 'tm-mode-change'
  | 'tm-dense-settings-change'
  | 'tm-unknown-sensitivity-change'
  | 'tm-prediction-settings-change';

/**
 * The settings panels' changes, made to the classes (which save them and tell the app) or, for how predictions are
 * shown and heard, to the prediction events (which keep them for the next visit), then `shown`.
 */
export function settingsActions(teachable: Teachable, predictions: PredictionEventsController, shown: () => void): HostEventHandlers<SettingsEvent> {
  return {
    'tm-recording-settings-change': (e) => (teachable.recordingSettings = e.detail.settings),
    'tm-vote-change': (e) => (teachable.voteOptions = e.detail.vote),
    'tm-mode-change': (e) => (teachable.classifierMode = e.detail.mode),
    'tm-dense-settings-change': (e) => (teachable.denseSettings = e.detail.settings),
    'tm-unknown-sensitivity-change': (e) => (teachable.unknownSensitivity = e.detail.sensitivity),
    'tm-prediction-settings-change': (e) => {
      const { smoothing, showRaw, muted } = e.detail;
      if (smoothing !== teachable.smoothing) teachable.smoothing = smoothing;
      predictions.showRaw = showRaw;
      predictions.muted = muted;
      shown();
    },
  };
}
