/**
 * A Keras layers model (Teachable Machine's MobileNet V2 0.35) rewritten as a FusedNetwork: every
 * BatchNormalization folded into the convolution before it (w' = w * g, b' = (b - mean) * g + beta with
 * g = gamma / sqrt(variance + epsilon)), every ReLU / ReLU6 and zero padding merged into the convolution.
 * Only the layer types MobileNets are made of are known; anything else is an UnsupportedNetworkError.
 */
import * as tf from '@tensorflow/tfjs';
import { StepListBuilder, UnsupportedNetworkError, type FusedActivation, type FusedNetwork } from './fused-network';

type Layer = tf.layers.Layer;
type Config = Record<string, unknown>;

/**
 * The network from `model`'s input to `output` (by default its only output). `model` keeps its own weights: the
 * result holds copies (folded ones, or clones that share the model's memory) and can outlive it.
 */
export function foldLayersModel(model: tf.LayersModel, output: tf.SymbolicTensor = model.outputs[0]): FusedNetwork {
  if (model.inputs.length !== 1) throw new UnsupportedNetworkError(`the network has ${model.inputs.length} inputs`);
  const builder = new StepListBuilder();
  try {
    const values = new Map<number, number>([[model.inputs[0].id, 0]]);
    return builder.build(trace(output, values, builder));
  } catch (error) {
    builder.abandon();
    throw error;
  }
}

/** The value of `tensor`, adding the steps that make it (memoised by symbolic tensor id in `values`). */
function trace(tensor: tf.SymbolicTensor, values: Map<number, number>, builder: StepListBuilder): number {
  const known = values.get(tensor.id);
  if (known !== undefined) return known;
  const layer = tensor.sourceLayer;
  const node = layer.inboundNodes[tensor.nodeIndex];
  if (!node || layer.getClassName() === 'InputLayer') throw new UnsupportedNetworkError(`${layer.name} is an input of no known value`);
  const inputs = node.inputTensors.map((t) => trace(t, values, builder));
  let value: number;
  if (layer instanceof tf.LayersModel) {
    // A model used as a layer: its own graph, with its inputs bound to this call's.
    if (layer.inputs.length !== inputs.length) throw new UnsupportedNetworkError(`${layer.name} is called with ${inputs.length} inputs`);
    const inner = new Map(layer.inputs.map((t, i) => [t.id, inputs[i]]));
    value = trace(layer.outputs[tensor.tensorIndex], inner, builder);
  } else {
    value = foldLayer(layer, inputs, builder);
  }
  values.set(tensor.id, value);
  return value;
}

function foldLayer(layer: Layer, inputs: readonly number[], builder: StepListBuilder): number {
  const config = layer.getConfig() as Config;
  const kind = layer.getClassName();
  const unsupported = (why: string) => new UnsupportedNetworkError(`${kind} layer ${layer.name}: ${why}`);
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') throw unsupported('channels first');
  const [input] = inputs;
  switch (kind) {
    case 'Conv2D':
    case 'DepthwiseConv2D': {
      const activation = config.activation as string;
      if (activation !== 'linear' && activation !== 'relu' && activation !== 'relu6') throw unsupported(`${activation} activation`);
      const [kernel, bias] = layer.getWeights();
      return builder.convolve(input, {
        kind: kind === 'Conv2D' ? 'conv' : 'depthwise',
        filter: tf.clone(kernel) as tf.Tensor4D,
        bias: config.useBias ? (tf.clone(bias) as tf.Tensor1D) : null,
        strides: pair(config.strides),
        dilations: pair(config.dilationRate),
        pad: config.padding === 'same' ? 'same' : 'valid',
        activation: activation as FusedActivation,
      });
    }
    case 'BatchNormalization': {
      const axis = config.axis as number;
      if (axis !== -1 && axis !== 3) throw unsupported(`axis ${axis}`);
      const named = (suffix: string) => {
        const index = layer.weights.findIndex((w) => w.originalName.endsWith(`/${suffix}`));
        return index < 0 ? null : layer.getWeights()[index];
      };
      const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map(named);
      if (!mean || !variance) throw unsupported('no moving mean or variance');
      const [scale, offset] = tf.tidy(() => {
        const g = tf.div(gamma ?? tf.onesLike(variance), tf.sqrt(tf.add(variance, config.epsilon as number)));
        const shift = tf.neg(tf.mul(mean, g));
        return [g as tf.Tensor1D, (beta ? tf.add(shift, beta) : shift) as tf.Tensor1D];
      });
      return builder.scaleAndShift(input, scale, offset);
    }
    case 'ReLU': {
      const max = config.maxValue;
      if (max === undefined || max === null) return builder.activate(input, 'relu');
      if (max === 6) return builder.activate(input, 'relu6');
      throw unsupported(`max value ${String(max)}`);
    }
    case 'Activation': {
      const activation = config.activation;
      if (activation === 'linear') return input;
      if (activation === 'relu' || activation === 'relu6') return builder.activate(input, activation);
      throw unsupported(`${String(activation)} activation`);
    }
    case 'ZeroPadding2D': {
      const [rows, cols] = config.padding as [[number, number], [number, number]];
      return builder.push({ kind: 'pad', input, padding: [rows, cols] });
    }
    case 'Add':
      return builder.push({ kind: 'add', inputs });
    case 'GlobalAveragePooling2D':
      return builder.push({ kind: 'mean', input });
    default:
      throw unsupported('not a layer type this folder knows');
  }
}

function pair(value: unknown): [number, number] {
  if (typeof value === 'number') return [value, value];
  const [a, b] = value as number[];
  return [a, b ?? a];
}
