// The baseline of the bench's `predict` section: `npm run predict`'s loop written the usual way with the three
// packages directly, in Node on the same wasm backend and with the same decoder (sharp):
// @tensorflow-models/mobilenet load + infer(img, true), @tensorflow-models/knn-classifier predictClass(x, 3).
// node bench/predict-baseline.mjs --classes FILE --models-dir DIR --version 2 --alpha 1.0 IMAGE...
// Prints one line per image, then a JSON line {"images", "seconds", "load_seconds"} on stderr.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import * as mobilenet from '@tensorflow-models/mobilenet';
import sharp from 'sharp';
import { wasmDir } from '../server/local-assets.mjs';

const FOLDERS = { '2:1': 'mobilenet_v2_1.0_224_tfhub_graph_from_tflite', '1:0.25': 'mobilenet_v1_0.25_224_tfhub_graph' };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { classes: { type: 'string' }, 'models-dir': { type: 'string' }, version: { type: 'string', default: '2' }, alpha: { type: 'string', default: '1.0' } },
});
const version = Number(values.version);
const alpha = Number(values.alpha);
const folder = FOLDERS[`${version}:${alpha}`];
if (!folder || !values.classes || !values['models-dir']) throw new Error('usage: --classes FILE --models-dir DIR [--version 2 --alpha 1.0] IMAGE...');

const fetchFile = async (input) => new Response(await readFile(String(input instanceof Request ? input.url : input)));

setWasmPaths(`${wasmDir}/`);
await tf.setBackend('wasm');
const loadStart = performance.now();
const model = await mobilenet.load({
  version,
  alpha,
  modelUrl: tf.io.http(join(values['models-dir'], folder, 'model.json'), { fetchFunc: fetchFile }),
  inputRange: [0, 1],
});
// The examples: the vectors of the classes file, as a user of knn-classifier would have kept them.
const file = JSON.parse(await readFile(values.classes, 'utf8'));
const classifier = knnClassifier.create();
for (const c of file.classes) {
  const bytes = Buffer.from(c.vectors, 'base64');
  const rows = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  for (let r = 0; r < c.examples; r++) tf.tidy(() => classifier.addExample(tf.tensor1d(rows.slice(r * file.dimension, (r + 1) * file.dimension)), c.label));
}
const loadSeconds = (performance.now() - loadStart) / 1000;

const start = performance.now();
for (const path of positionals) {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = tf.tensor3d(new Int32Array(data), [info.height, info.width, 3], 'int32');
  const embedding = model.infer(image, true);
  const { label, confidences } = await classifier.predictClass(embedding, 3);
  process.stdout.write(`${path}\t${label}\t${confidences[label].toFixed(3)}\n`);
  tf.dispose([image, embedding]);
}
const seconds = (performance.now() - start) / 1000;
process.stderr.write(`${JSON.stringify({ images: positionals.length, seconds, load_seconds: loadSeconds })}\n`);
classifier.dispose();
model.model.dispose();
