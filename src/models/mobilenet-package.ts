/**
 * The TF Hub MobileNets that @tensorflow-models/mobilenet itself knows (V1 0.25, V2 1.0) are loaded by that
 * package, `mobilenet.load({version, alpha, modelUrl, inputRange})`, from the loader's own handler (so the browser
 * cache, the progress and the load errors stay the loader's). The app embeds with the GraphModel the package
 * loaded, folded into fused ops (fused-network.ts); the package's infer(img, true) is what its tests compare with.
 */
import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import type { ModelSpec } from './catalog';

/** Loads `spec` through the package and returns the GraphModel it loaded; the caller owns it. */
export async function loadWithMobilenetPackage(spec: ModelSpec, handler: tf.io.IOHandler): Promise<tf.GraphModel> {
  if (!spec.mobilenetPackage) throw new Error(`@tensorflow-models/mobilenet does not know ${spec.name}.`);
  const { version, alpha } = spec.mobilenetPackage;
  const loaded = await mobilenet.load({ version, alpha, modelUrl: handler, inputRange: [spec.inputRange[0], spec.inputRange[1]] });
  // The package keeps its GraphModel in `model`, which its MobileNet type leaves out.
  const model: unknown = (loaded as mobilenet.MobileNet & { readonly model?: unknown }).model;
  if (!(model instanceof tf.GraphModel)) throw new Error('@tensorflow-models/mobilenet loaded no GraphModel');
  return model;
}
