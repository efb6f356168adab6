/**
 * The entry of `dist-runtime/tm-classifier.js`: the runtime library with <tm-classifier> defined, for a page that
 * only adds `<script type="module" src="tm-classifier.js">` and the element.
 */
export * from '../src/runtime';
export { TmClassifier, type ClassifierErrorDetail, type ClassifierReadyDetail, type ClassifierStatus } from './tm-classifier';
export type { ClassChangeDetail, PredictionDetail } from '../src/pipeline/prediction-stream';
