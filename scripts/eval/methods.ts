/**
 * The classifiers `npm run eval` compares. Each is taught one seeded draw of N examples per class and then labels
 * every test embedding; all get the same draw.
 */
import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import { CLASSIC_DEFAULT_K, ClassicKnn } from '../../src/classifier/knn/classic-knn';
import { trainDenseHead, type DenseHeadSettings } from '../../src/classifier/dense-head/dense-head';
import { KnnClassifier, type KnnOptions } from '../../src/classifier/knn/knn';
import { calibrateUnknown } from '../../src/classifier/knn/unknown';
import { DEFAULT_VOTE, type VoteOptions } from '../../src/classifier/knn/vote';
import { decodeVectors, encodeVectors, type VectorEncoding } from '../../src/dataset/vector-encoding';

/** The test set: each embedding as a tensor (for the k-NNs) and all of them as one flat array (for the head). */
export interface TestSet {
  readonly tensors: readonly tf.Tensor1D[];
  readonly rows: Float32Array;
}

/** A method's answer for one test embedding: its label (null: none) and the confidence it shows for it. */
export interface Prediction {
  readonly label: string | null;
  readonly confidence: number;
}

/** Labels every test embedding, in order. */
export type Method = (train: ReadonlyMap<string, readonly Float32Array[]>, test: TestSet) => Promise<Prediction[]>;

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

/**
 * The app's KnnClassifier with the given vote, one predict per test embedding, as the app runs it per frame.
 * `calibrated`: with the sharpness the app fits to the draw once it has calibrated (src/classifier/knn/confidence.ts).
 */
function appKnn(options: VoteOptions, store: KnnOptions = {}, calibrated = true): Method {
  return async (train, test) => {
    const knn = new KnnClassifier(store);
    try {
      addAll(train, (classId, x) => knn.addExample(classId, x.dataSync<'float32'>()));
      const classIds = [...train.keys()];
      let vote = options;
      if (calibrated) {
        // The stored (unit) rows, read back as Teachable reads them for its calibration.
        const vectors = await Promise.all(classIds.map((id) => knn.readClassVectors(id)));
        const { sharpness } = calibrateUnknown({ classIds, vectors, dim: knn.dimension ?? 0 }, { vote: options });
        if (sharpness !== null) vote = { ...options, sharpness };
      }
      const predictions: Prediction[] = [];
      for (const x of test.tensors) {
        const { classId, votes } = await knn.predict(x.dataSync<'float32'>(), classIds, vote);
        predictions.push({ label: classId, confidence: votes.find((v) => v.classId === classId)?.confidence ?? 0 });
      }
      return predictions;
    } finally {
      knn.dispose();
    }
  };
}

/** The app's "Classic k-NN" vote (knn-classifier's predictClass, fed from the app's store), as the app runs it per frame. */
function appClassic(k: number): Method {
  return async (train, test) => {
    const store = new KnnClassifier();
    const classic = new ClassicKnn();
    try {
      addAll(train, (classId, x) => store.addExample(classId, x.dataSync<'float32'>()));
      const classIds = [...train.keys()];
      const predictions: Prediction[] = [];
      for (const x of test.tensors) {
        const { classId, votes } = await classic.predict(store, x.dataSync<'float32'>(), classIds, k);
        predictions.push({ label: classId, confidence: votes.find((v) => v.classId === classId)?.confidence ?? 0 });
      }
      return predictions;
    } finally {
      classic.dispose();
      store.dispose();
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
        return { label: classIds[best], confidence: probabilities[i * classIds.length + best] };
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
    const predictions: Prediction[] = [];
    for (const x of test.tensors) {
      const { label, confidences } = await knn.predictClass(x, 3);
      predictions.push({ label, confidence: confidences[label] ?? 0 });
    }
    return predictions;
  } finally {
    knn.dispose();
  }
};

/** What `npm run eval` reports, by the name it has in the results. */
export const METHODS: Readonly<Record<string, Method>> = {
  knn: appKnn(DEFAULT_VOTE),
  knn_classic: appClassic(CLASSIC_DEFAULT_K),
  dense: appDense({}),
  baseline_knn_classifier_k3: baseline,
};

/**
 * References added with --extra: the app's first vote, the app's vote with every similarity exact (no 8-bit index,
 * which the store uses above EXACT_CLASS_ROWS examples per class), the app's vote with its default sharpness (its
 * confidences before they were calibrated), and the head trained on every example (no validation).
 */
export const EXTRA_METHODS: Readonly<Record<string, Method>> = {
  knn_mean_of_3: appKnn({ k: 3, sharpness: 20, method: 'mean-of-k' }),
  knn_uncalibrated: appKnn(DEFAULT_VOTE, {}, false),
  knn_all_exact: appKnn(DEFAULT_VOTE, { exactClassRows: Infinity }),
  dense_no_validation: appDense({ validationFraction: 0 }),
};

/**
 * `method` taught the examples as a compact file gives them back: each scaled to unit length (as the store keeps
 * them), written in `encoding` and read again (src/dataset/vector-encoding.ts). The test embeddings are the camera's.
 */
function fromCompactFile(method: Method, encoding: VectorEncoding): Method {
  return (train, test) => {
    const rounded = new Map<string, Float32Array[]>();
    for (const [classId, rows] of train) {
      rounded.set(
        classId,
        rows.map((row) => {
          const norm = Math.hypot(...row);
          const unit = row.map((x) => x / norm);
          return decodeVectors(encodeVectors(unit, unit.length, encoding), 1, unit.length, encoding);
        }),
      );
    }
    return method(rounded, test);
  };
}

/** Added with --compact: the app's k-NN taught from compact (rounded) files, against `knn` taught the float32s. */
export const COMPACT_METHODS: Readonly<Record<string, Method>> = {
  knn_float16_file: fromCompactFile(appKnn(DEFAULT_VOTE), 'float16'),
  knn_int8_file: fromCompactFile(appKnn(DEFAULT_VOTE), 'int8'),
};
