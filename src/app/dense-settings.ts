/** Which classifiers the app runs, and the dense head settings a user can change: saved with the app's settings. */
import { DEFAULT_DENSE_SETTINGS, type DenseHeadSettings } from '../classifier/dense-head/dense-head';

/** k-NN only, dense head only, or both side by side. */
export type ClassifierMode = 'knn' | 'dense' | 'both';

export const CLASSIFIER_MODES: readonly ClassifierMode[] = ['knn', 'dense', 'both'];

export type DenseTrainingSettings = Pick<DenseHeadSettings, 'units' | 'epochs' | 'learningRate' | 'batchSize'>;

export type DenseSettingName = keyof DenseTrainingSettings;

/** Teachable Machine 2's defaults. */
export const DEFAULT_TRAINING_SETTINGS: DenseTrainingSettings = {
  units: DEFAULT_DENSE_SETTINGS.units,
  epochs: DEFAULT_DENSE_SETTINGS.epochs,
  learningRate: DEFAULT_DENSE_SETTINGS.learningRate,
  batchSize: DEFAULT_DENSE_SETTINGS.batchSize,
};

/** What the app accepts: wide enough for any sensible experiment, small enough that training stays in memory and time. */
export const SETTING_LIMITS: Readonly<Record<DenseSettingName, { readonly min: number; readonly max: number; readonly whole: boolean }>> = {
  units: { min: 1, max: 1024, whole: true },
  epochs: { min: 1, max: 500, whole: true },
  learningRate: { min: 0.00001, max: 1, whole: false },
  batchSize: { min: 1, max: 1024, whole: true },
};

/** Why `value` is not acceptable for `name`, or null when it is. */
export function settingProblem(name: DenseSettingName, value: number): string | null {
  const { min, max, whole } = SETTING_LIMITS[name];
  if (!Number.isFinite(value)) return `Enter a number from ${min} to ${max}.`;
  if (whole && !Number.isInteger(value)) return `Enter a whole number from ${min} to ${max}.`;
  if (value < min || value > max) return `Enter ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}.`;
  return null;
}

/** Every problem of `settings`, by name (empty when all are acceptable). */
export function settingsProblems(settings: DenseTrainingSettings): Partial<Record<DenseSettingName, string>> {
  const problems: Partial<Record<DenseSettingName, string>> = {};
  for (const name of Object.keys(SETTING_LIMITS) as DenseSettingName[]) {
    const problem = settingProblem(name, settings[name]);
    if (problem) problems[name] = problem;
  }
  return problems;
}

export function isClassifierMode(value: unknown): value is ClassifierMode {
  return CLASSIFIER_MODES.includes(value as ClassifierMode);
}
