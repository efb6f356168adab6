/**
 * A TF Hub MobileNet graph model rewritten as a FusedNetwork. Its converter already folded the batch norms into
 * the full convolutions (_FusedConv2D with BiasAdd and Relu6), but left every depthwise convolution as three
 * kernels (DepthwiseConv2dNative, BiasAdd, Relu6): here they become one fused depthwise convolution each.
 * Only the ops MobileNet graphs are made of are known; anything else is an UnsupportedNetworkError.
 */
import * as tf from '@tensorflow/tfjs';
import { StepListBuilder, UnsupportedNetworkError, type FusedNetwork } from './fused-network';

/** The parts of a GraphDef node (tfjs-converter's compiled_api) read here. */
interface GraphNode {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, { readonly s?: string; readonly list?: { readonly i?: readonly string[]; readonly s?: readonly string[] } }>>;
}

export interface GraphTopology {
  readonly node?: readonly GraphNode[];
}

/** The network from the graph's only Placeholder to node `output`, with weights copied from `weights`. */
export function foldGraph(topology: GraphTopology, weights: tf.NamedTensorMap | Readonly<Record<string, tf.Tensor[]>>, output: string): FusedNetwork {
  const nodes = new Map((topology.node ?? []).map((node) => [node.name, node]));
  const builder = new StepListBuilder();
  const values = new Map<string, number>();
  const constant = (name: string): tf.Tensor => {
    const held = weights[name];
    const tensor = Array.isArray(held) ? held[0] : held;
    if (!tensor) throw new UnsupportedNetworkError(`${name} is not a constant of the graph`);
    return tensor;
  };

  const trace = (reference: string): number => {
    const [name, index] = reference.split(':');
    if (index !== undefined && index !== '0') throw new UnsupportedNetworkError(`${reference} is not a first output`);
    const known = values.get(name);
    if (known !== undefined) return known;
    const node = nodes.get(name);
    if (!node) throw new UnsupportedNetworkError(`no node ${name}`);
    const value = foldNode(node, trace, constant, builder);
    values.set(name, value);
    return value;
  };

  try {
    if ((topology.node ?? []).filter((node) => node.op === 'Placeholder').length !== 1) {
      throw new UnsupportedNetworkError('the graph has not exactly one input');
    }
    return builder.build(trace(output));
  } catch (error) {
    builder.abandon();
    throw error;
  }
}

function foldNode(
  node: GraphNode,
  trace: (reference: string) => number,
  constant: (name: string) => tf.Tensor,
  builder: StepListBuilder,
): number {
  const unsupported = (why: string) => new UnsupportedNetworkError(`${node.op} node ${node.name}: ${why}`);
  const inputs = (node.input ?? []).filter((input) => !input.startsWith('^'));
  const format = text(node, 'data_format');
  if (format !== undefined && format !== 'NHWC') throw unsupported(`data format ${format}`);
  switch (node.op) {
    case 'Placeholder':
      return 0;
    case 'Identity':
      return trace(inputs[0]);
    case 'Mul':
    case 'Sub': {
      // Scalar input scaling (hub_input): x * c or x - c.
      const c = constant(inputs[1]);
      if (c.size !== 1) throw unsupported('not a scalar constant');
      const [scale, offset] =
        node.op === 'Mul' ? [tf.clone(c), tf.scalar(0)] : [tf.scalar(1), tf.neg(c)];
      return builder.push({ kind: 'affine', input: trace(inputs[0]), scale: builder.own(scale), offset: builder.own(offset) });
    }
    case '_FusedConv2D':
    case 'DepthwiseConv2dNative': {
      const fused = (node.attr?.fused_ops?.list?.s ?? []).map(atob);
      if (fused.length > 0 && (fused[0] !== 'BiasAdd' || fused.length > 2)) throw unsupported(`fused ${fused.join(', ')}`);
      const activation = fused[1] === undefined ? 'linear' : fused[1] === 'Relu6' ? 'relu6' : fused[1] === 'Relu' ? 'relu' : null;
      if (!activation) throw unsupported(`activation ${fused[1]}`);
      const padding = text(node, 'padding');
      if (padding !== 'SAME' && padding !== 'VALID') throw unsupported(`padding ${padding}`);
      return builder.convolve(trace(inputs[0]), {
        kind: node.op === '_FusedConv2D' ? 'conv' : 'depthwise',
        filter: tf.clone(constant(inputs[1])) as tf.Tensor4D,
        bias: fused.length > 0 ? (tf.clone(constant(inputs[2])) as tf.Tensor1D) : null,
        strides: spatial(node, 'strides'),
        dilations: spatial(node, 'dilations'),
        pad: padding === 'SAME' ? 'same' : 'valid',
        activation,
      });
    }
    case 'BiasAdd':
      return builder.addBias(trace(inputs[0]), tf.clone(constant(inputs[1])) as tf.Tensor1D);
    case 'Relu6':
      return builder.activate(trace(inputs[0]), 'relu6');
    case 'Relu':
      return builder.activate(trace(inputs[0]), 'relu');
    case 'Add':
    case 'AddV2':
      return builder.push({ kind: 'add', inputs: inputs.map(trace) });
    case 'Mean': {
      const axes = Array.from(constant(inputs[1]).dataSync());
      if (axes.join() !== '1,2') throw unsupported(`axes ${axes.join()}`);
      return builder.push({ kind: 'mean', input: trace(inputs[0]) });
    }
    case 'AvgPool': {
      const padding = text(node, 'padding');
      if (padding !== 'SAME' && padding !== 'VALID') throw unsupported(`padding ${padding}`);
      return builder.push({
        kind: 'avgPool',
        input: trace(inputs[0]),
        size: spatial(node, 'ksize'),
        strides: spatial(node, 'strides'),
        pad: padding === 'SAME' ? 'same' : 'valid',
      });
    }
    default:
      throw unsupported('not an op this folder knows');
  }
}

function text(node: GraphNode, key: string): string | undefined {
  const value = node.attr?.[key]?.s;
  return value === undefined ? undefined : atob(value);
}

/** The [height, width] entries of an NHWC attribute list (strides, dilations, ksize); 1s when absent. */
function spatial(node: GraphNode, key: string): [number, number] {
  const list = (node.attr?.[key]?.list?.i ?? []).map(Number);
  return list.length === 4 ? [list[1], list[2]] : [1, 1];
}
