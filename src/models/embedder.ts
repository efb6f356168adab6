import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, type ModelSpec } from './catalog';
import { foldGraph, type GraphTopology } from './fold-graph';
import { foldLayersModel } from './fold-layers';
import { UnsupportedNetworkError } from './fused-network';

export type EmbeddingNetwork = tf.GraphModel | tf.LayersModel;
export type Pixels = ImageData | HTMLCanvasElement | HTMLVideoElement | HTMLImageElement | ImageBitmap | OffscreenCanvas;

/**
 * How the network runs: 'fused ops' is the folded FusedNetwork (see fused-network.ts); 'graph' and 'layers' are
 * the loaded model's own execute / predict, for networks with parts the folder does not know.
 */
export type Execution = 'fused ops' | 'graph' | 'layers';

interface Runner {
  readonly execution: Execution;
  run(batch: tf.Tensor4D): tf.Tensor;
  dispose(): void;
}

/** Turns square frames into MobileNet activations: the vectors the classifiers store and compare. */
export class Embedder {
  private readonly runner: Runner;
  /** The model input of each 0..255 channel value, as float32 (see inputTable). */
  private table: Float32Array | null = null;

  /** `graph`: a graph model's topology (as loaded), without which a graph model runs as loaded. */
  constructor(
    readonly spec: ModelSpec,
    private readonly network: EmbeddingNetwork,
    graph?: GraphTopology,
  ) {
    this.runner = network instanceof tf.GraphModel ? graphRunner(spec, network, graph) : layersRunner(spec, network);
  }

  get execution(): Execution {
    return this.runner.execution;
  }

  /** The embedding of one image as a [dim] tensor; the caller owns (and disposes) it. */
  embed(pixels: Pixels): tf.Tensor1D {
    return tf.tidy(() => {
      if (pixels instanceof ImageData && isInputSized8Bit(pixels) && CPU_BACKENDS.has(tf.getBackend())) {
        // On a CPU backend reading the pixels into the model's input here is several times quicker than
        // fromPixels followed by the cast, multiply and add of embedBatch, and gives the same float32 values.
        return this.embedRgba(pixels.data);
      }
      const image = tf.browser.fromPixels(pixels as Exclude<Pixels, OffscreenCanvas>);
      return this.embedBatch(image.expandDims(0) as tf.Tensor4D).reshape([this.spec.embeddingDim]) as tf.Tensor1D;
    });
  }

  /**
   * The embedding of 224 x 224 RGBA pixels laid out as ImageData's are, equal to embed() of that ImageData. It needs
   * no DOM, so Node can embed images it decoded itself (npm run predict).
   */
  embedRgba(rgba: Uint8Array | Uint8ClampedArray): tf.Tensor1D {
    return tf.tidy(() => this.embedRgbaBatch([rgba]).reshape([this.spec.embeddingDim]) as tf.Tensor1D);
  }

  /**
   * embedRgba of several images in one run of the network, as [n, dim]: on wasm a batch of 4 costs about 0.6 of
   * four single runs, which a command line working through a folder gains from.
   */
  embedRgbaBatch(images: readonly (Uint8Array | Uint8ClampedArray)[]): tf.Tensor2D {
    const pixels = INPUT_SIZE * INPUT_SIZE;
    const input = new Float32Array(images.length * pixels * 3);
    images.forEach((rgba, i) => {
      if (rgba.length !== pixels * 4) {
        throw new RangeError(`expected ${INPUT_SIZE} x ${INPUT_SIZE} RGBA pixels (${pixels * 4} bytes), got ${rgba.length} bytes`);
      }
      this.writeInput(rgba, input, i * pixels * 3);
    });
    return tf.tidy(() => {
      const batch = tf.tensor4d(input, [images.length, INPUT_SIZE, INPUT_SIZE, 3]);
      return this.runner.run(batch).reshape([images.length, this.spec.embeddingDim]) as tf.Tensor2D;
    });
  }

  /** Writes the RGB of `rgba` scaled to the model's input range into `input` from `at`, exactly as embedBatch scales it. */
  private writeInput(rgba: Uint8Array | Uint8ClampedArray, input: Float32Array, at: number): void {
    const table = (this.table ??= inputTable(this.spec.inputRange));
    for (let i = 0, o = at; i < rgba.length; i += 4, o += 3) {
      input[o] = table[rgba[i]];
      input[o + 1] = table[rgba[i + 1]];
      input[o + 2] = table[rgba[i + 2]];
    }
  }

  /** Embeddings of a [n, h, w, 3] batch of 0..255 pixels, as [n, dim]. */
  embedBatch(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const [, height, width] = images.shape;
      const sized =
        height === INPUT_SIZE && width === INPUT_SIZE
          ? images
          : tf.image.resizeBilinear(images, [INPUT_SIZE, INPUT_SIZE]);
      const [low, high] = this.spec.inputRange;
      const scaled = tf.add(tf.mul(tf.cast(sized, 'float32'), (high - low) / 255), low) as tf.Tensor4D;
      return this.runner.run(scaled).reshape([images.shape[0], this.spec.embeddingDim]) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.runner.dispose();
    this.network.dispose();
  }
}

/** 224 x 224 with 8-bit channels (ImageData may also hold float16 ones in newer browsers). */
function isInputSized8Bit(image: ImageData): boolean {
  return image.width === INPUT_SIZE && image.height === INPUT_SIZE && image.data instanceof Uint8ClampedArray;
}

/** Backends whose tensors live in JS or wasm memory, where a float32 input costs no upload. */
const CPU_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/**
 * value -> value * ((high - low) / 255) + low, each step rounded to float32 as embedBatch's float32 multiply and
 * add round it.
 */
export function inputTable([low, high]: readonly [number, number]): Float32Array {
  const scale = Math.fround((high - low) / 255);
  const offset = Math.fround(low);
  return Float32Array.from({ length: 256 }, (_, value) => Math.fround(Math.fround(value * scale) + offset));
}

function graphRunner(spec: ModelSpec, network: tf.GraphModel, graph: GraphTopology | undefined): Runner {
  const node = spec.embeddingNode;
  if (!node) throw new Error(`${spec.name} names no embedding node.`);
  if (graph) {
    try {
      const fused = foldGraph(graph, network.weights, node);
      return { execution: 'fused ops', run: (batch) => fused.run(batch), dispose: () => fused.dispose() };
    } catch (error) {
      if (!(error instanceof UnsupportedNetworkError)) throw error;
    }
  }
  return { execution: 'graph', run: (batch) => network.execute(batch, node) as tf.Tensor, dispose: () => undefined };
}

function layersRunner(spec: ModelSpec, network: tf.LayersModel): Runner {
  // The public Keras copy ends in a [7, 7, 1280] feature map, so it is cut at the feature layer and pooled,
  // as Teachable Machine does; the mirrored copy already ends in the pooled vector.
  const spatial = network.outputs[0].shape.length === 4;
  const output = spatial && spec.featureLayer ? (network.getLayer(spec.featureLayer).output as tf.SymbolicTensor) : network.outputs[0];
  const pooled = (out: tf.Tensor) => (out.rank === 4 ? tf.mean(out, [1, 2]) : out);
  try {
    const fused = foldLayersModel(network, output);
    return { execution: 'fused ops', run: (batch) => pooled(fused.run(batch)), dispose: () => fused.dispose() };
  } catch (error) {
    if (!(error instanceof UnsupportedNetworkError)) throw error;
  }
  const model = output === network.outputs[0] ? network : tf.model({ inputs: network.inputs, outputs: output });
  return { execution: 'layers', run: (batch) => pooled(model.predict(batch) as tf.Tensor), dispose: () => undefined };
}
