/**
 * The analysis worker: the "none of these" calibration and the k-NN's cross-validation, plain JavaScript that takes
 * from a fraction of a second to several seconds, run here so that the page keeps predicting meanwhile.
 */
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol';
import { evaluateKnn } from './evaluate';
import { calibrateUnknown } from '../knn/unknown';

// The DOM typings this project builds with do not include the worker's global scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<AnalysisRequest>) => void) | null;
  postMessage(message: AnalysisReply): void;
};

scope.onmessage = (event: MessageEvent<AnalysisRequest>) => {
  const request = event.data;
  let reply: AnalysisReply;
  try {
    reply =
      request.kind === 'calibrate'
        ? { id: request.id, kind: 'calibrate', result: calibrateUnknown(request.data, request.options) }
        : { id: request.id, kind: 'evaluate-knn', result: evaluateKnn(request.data, request.options) };
  } catch (error) {
    reply = { id: request.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply);
};
