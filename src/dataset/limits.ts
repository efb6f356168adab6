import { MAX_LABEL_LENGTH } from '../app/labels';

/**
 * What an imported file may hold. Generous for real use (10,000 examples of MobileNet's 1,280 numbers is
 * about 68 MB in our format; 50,000, an hour of recording, 341 MB), small enough that a hostile or broken file is
 * refused before it eats memory.
 */
export interface DatasetLimits {
  readonly maxFileBytes: number;
  readonly maxClasses: number;
  /** Examples in the whole file. */
  readonly maxExamples: number;
  readonly maxDimension: number;
  readonly maxLabelLength: number;
  /** Kept frames of one class: as many as examples a file may hold, so that every example can keep its own. */
  readonly maxThumbnailsPerClass: number;
  /** Characters of one thumbnail data URL. */
  readonly maxThumbnailLength: number;
  readonly maxModelIdLength: number;
}

export const DATASET_LIMITS: DatasetLimits = {
  maxFileBytes: 400 * 1024 * 1024,
  maxClasses: 100,
  maxExamples: 50_000,
  maxDimension: 4096,
  maxLabelLength: MAX_LABEL_LENGTH,
  maxThumbnailsPerClass: 50_000,
  maxThumbnailLength: 64 * 1024,
  maxModelIdLength: 100,
};
