/**
 * Teachable k-NN's runtime: classes taught in the app, used in any page. Built on its own by
 * `npm run build:runtime` (vite.runtime.config.ts); the README shows it in use.
 */
export { loadClassifier, type ClassifyOptions, type LoadClassifierOptions, type RuntimeClass, type TeachableClassifier } from './load-classifier';
export type { ClassConfidence, Classification, VoteSettings } from './embedding-classifier';
export type { ClassesSource } from './classes-source';
export type { ImageSource } from './image-source';
export { ClassifierError, type ClassifierErrorKind } from './errors';
export type { ModelId } from '../models/catalog';
export type { LoadProgress } from '../models/loader';
export type { ClassOutput } from '../outputs/class-output';
