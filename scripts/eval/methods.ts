/**
 * The classifiers `npm run eval` compares. Each is taught one seeded draw of N examples per class and then labels
 * every test embedding; all get the same draw.
 */
import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import { trainDenseHead, type DenseHeadSettings } from '../../src/classifier/dense-head/dense-head';
import { KnnClassifier, type KnnOptions } from '../../src/classifier/knn/knn';
import { DEFAULT_VOTE, type VoteOptions } from '../../src/classifier/knn/vote';

/** The test set: each embedding as a tensor (for the k-NNs) and all of them as one flat array (for the head). */
export interface TestSet {
  readonly tensors: readonly tf.Tensor1D[];
  readonly rows: Float32Array;
}

/** Labels every test embedding (null: no label), in order. */
export type Method = (train: ReadonlyMap<string, readonly Float32Array[]>, test: TestSet) => Promise<(string | null)[]>;

/** Calls `add` with a short-lived tensor of each example; both stores below keep copies of their own. */
export function addAll(train: ReadonlyMap<string, readonly Float32Array[]>, add: (classId: string, x: tf.Tensor1D) => void): void {
  for (const [classId, examples] of train) {
    for (const example of examples) {
      const x = tf.tensor1d(example);
      add(classId, x);
      x.dispose();
    }
  }
}

/** The app's KnnClassifier with the given vote, one predict per test embedding, as the app runs it per frame. */
function appKnn(options: VoteOptions, store: KnnOptions = {}): Method {
  return async (train, test) => {
    const knn = new KnnClassifier(store);
    try {
      addAll(train, (classId, x) => knn.addExample(classId, x.dataSync<'float32'>()));
      const classIds = [...train.keys()];
      const labels: (string | null)[] = [];
      for (const x of test.tensors) labels.push((await knn.predict(x.dataSync<'float32'>(), classIds, options)).classId);
      return labels;
    } finally {
      knn.dispose();
    }
  };
}

/** The app's dense head, trained on the draw (as unit vectors, which is what the app's store gives it). */
function appDense(settings: Partial<DenseHeadSettings>): Method {
  return async (train, test) => {
    const classIds = [...train.keys()];
    const dim = test.rows.length / test.tensors.length;
    const vectors = classIds.map((id) => {
      const rows = train.get(id)!;
      const flat = new Float32Array(rows.length * dim);
      rows.forEach((row, i) => flat.set(row, i * dim));
      return flat;
    });
    const head = await trainDenseHead({ classIds, vectors, dim }, settings);
    try {
      const probabilities = await head.predictRows(test.rows);
      return test.tensors.map((_, i) => {
        let best = 0;
        for (let c = 1; c < classIds.length; c++) if (probabilities[i * classIds.length + c] > probabilities[i * classIds.length + best]) best = c;
        return classIds[best];
      });
    } finally {
      head.dispose();
    }
  };
}

/** The package used as its README shows: a plain majority of the 3 nearest examples. */
const baseline: Method = async (train, test) => {
  const knn = knnClassifier.create();
  try {
    addAll(train, (classId, x) => knn.addExample(x, classId));
    const labels: (string | null)[] = [];
    for (const x of test.tensors) labels.push((await knn.predictClass(x, 3)).label);
    return labels;
  } finally {
    knn.dispose();
  }
};

/** What `npm run eval` reports, by the name it has in the results. */
export const METHODS: Readonly<Record<string, Method>> = {
  knn: appKnn(DEFAULT_VOTE),
  dense: appDense({}),
  baseline_knn_classifier_k3: baseline,
};

/**
 * References added with --extra: the app's first vote, the app's vote with every similarity exact (no 8-bit index,
 * which the store uses above EXACT_CLASS_ROWS examples per class), and the head trained on every example (no
 * validation).
 */
export const EXTRA_METHODS: Readonly<Record<string, Method>> = {
  knn_mean_of_3: appKnn({ k: 3, sharpness: 20, method: 'mean-of-k' }),
  knn_all_exact: appKnn(DEFAULT_VOTE, { exactClassRows: Infinity }),
  dense_no_validation: appDense({ validationFraction: 0 }),
};
