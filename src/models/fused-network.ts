/**
 * A network as a short list of fused tfjs ops: each convolution carries its bias and activation, and every
 * batch normalisation that follows a convolution is folded into that convolution's weights. Running the list is
 * a handful of kernels per block instead of the four or five a Keras layers model runs (convolution, batch
 * normalisation, ReLU6, zero padding), with none of the layers API's per-layer bookkeeping.
 */
import * as tf from '@tensorflow/tfjs';

export type FusedActivation = 'linear' | 'relu' | 'relu6';
type Padding = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

/** Values are numbered: 0 is the network's input, step i makes value i + 1. */
export type Step =
  | {
      readonly kind: 'conv' | 'depthwise';
      readonly input: number;
      readonly filter: tf.Tensor4D;
      readonly bias: tf.Tensor1D | null;
      readonly strides: [number, number];
      readonly dilations: [number, number];
      readonly pad: Padding;
      readonly activation: FusedActivation;
    }
  /** Per-channel (or scalar) x * scale + offset: a batch normalisation with no convolution to fold into. */
  | { readonly kind: 'affine'; readonly input: number; readonly scale: tf.Tensor; readonly offset: tf.Tensor }
  | { readonly kind: 'relu' | 'relu6'; readonly input: number }
  | { readonly kind: 'pad'; readonly input: number; readonly padding: [[number, number], [number, number]] }
  | { readonly kind: 'add'; readonly inputs: readonly number[] }
  /** Global average pooling: [n, h, w, c] to [n, c]. */
  | { readonly kind: 'mean'; readonly input: number }
  | {
      readonly kind: 'avgPool';
      readonly input: number;
      readonly size: [number, number];
      readonly strides: [number, number];
      readonly pad: 'same' | 'valid';
    };

const inputsOf = (step: Step): readonly number[] => (step.kind === 'add' ? step.inputs : [step.input]);
const tensorsOf = (step: Step): tf.Tensor[] =>
  step.kind === 'conv' || step.kind === 'depthwise'
    ? [step.filter, ...(step.bias ? [step.bias] : [])]
    : step.kind === 'affine'
      ? [step.scale, step.offset]
      : [];

/** Raised while building when the network has a part this module cannot express; the caller runs it as loaded. */
export class UnsupportedNetworkError extends Error {
  override name = 'UnsupportedNetworkError';
}

/**
 * Builds the list one layer at a time. A layer that can merge into the step making its input (batch
 * normalisation or ReLU after a linear convolution, a convolution after zero padding) adds a merged copy of
 * that step; `build` then keeps only the steps the output needs, so the unmerged originals fall away.
 */
export class StepListBuilder {
  private readonly steps: Step[] = [];
  /** Every tensor handed to the builder: it owns them, and disposes those no kept step uses. */
  private readonly owned = new Set<tf.Tensor>();

  /** Takes ownership of `tensor`. */
  own<T extends tf.Tensor>(tensor: T): T {
    this.owned.add(tensor);
    return tensor;
  }

  push(step: Step): number {
    this.steps.push(step);
    return this.steps.length;
  }

  /** The step that makes `value`, or null for the network's input. */
  producer(value: number): Step | null {
    return value === 0 ? null : this.steps[value - 1];
  }

  /** `activation` applied to `value`: merged into the convolution that makes it when that one is linear. */
  activate(value: number, activation: Exclude<FusedActivation, 'linear'>): number {
    const step = this.producer(value);
    if ((step?.kind === 'conv' || step?.kind === 'depthwise') && step.activation === 'linear') {
      return this.push({ ...step, activation });
    }
    return this.push({ kind: activation, input: value });
  }

  /** Per-channel `x * scale + offset` on `value`, folded into the convolution that makes it when it is linear. */
  scaleAndShift(value: number, scale: tf.Tensor1D, offset: tf.Tensor1D): number {
    const step = this.producer(value);
    if ((step?.kind === 'conv' || step?.kind === 'depthwise') && step.activation === 'linear') {
      const [filter, bias] = tf.tidy(() => {
        const [kh, kw, inChannels, multiplier] = step.filter.shape;
        // A depthwise filter's output channel c * multiplier + m is its [.., c, m] entry.
        const perOutput = step.kind === 'conv' ? scale : tf.reshape(scale, [inChannels, multiplier]);
        const folded = tf.mul(step.filter, perOutput) as tf.Tensor4D;
        const shifted = step.bias ? tf.add(tf.mul(step.bias, scale), offset) : tf.clone(offset);
        return [tf.reshape(folded, [kh, kw, inChannels, multiplier]) as tf.Tensor4D, shifted as tf.Tensor1D];
      });
      tf.dispose([scale, offset]);
      return this.push({ ...step, filter: this.own(filter), bias: this.own(bias) });
    }
    return this.push({ kind: 'affine', input: value, scale: this.own(scale), offset: this.own(offset) });
  }

  /** `bias` added to `value`: merged into the convolution that makes it when that one is linear. Takes ownership of `bias`. */
  addBias(value: number, bias: tf.Tensor1D): number {
    const step = this.producer(value);
    if ((step?.kind === 'conv' || step?.kind === 'depthwise') && step.activation === 'linear') {
      const sum = step.bias ? tf.add(step.bias, bias) : tf.clone(bias);
      bias.dispose();
      return this.push({ ...step, bias: this.own(sum as tf.Tensor1D) });
    }
    return this.push({ kind: 'affine', input: value, scale: this.own(tf.scalar(1)), offset: this.own(bias) });
  }

  /** A convolution of `value`; zero padding just before a 'valid' one becomes that convolution's own padding. */
  convolve(value: number, step: Omit<Extract<Step, { kind: 'conv' | 'depthwise' }>, 'input'>): number {
    this.own(step.filter);
    if (step.bias) this.own(step.bias);
    const before = this.producer(value);
    if (before?.kind === 'pad' && step.pad === 'valid') {
      const [rows, cols] = before.padding;
      return this.push({ ...step, input: before.input, pad: [[0, 0], rows, cols, [0, 0]] });
    }
    return this.push({ ...step, input: value });
  }

  /** The steps that `output` needs, renumbered; every other tensor is disposed. */
  build(output: number): FusedNetwork {
    const needed = new Set<number>([output]);
    for (let value = output; value > 0; value--) {
      if (needed.has(value)) for (const input of inputsOf(this.steps[value - 1])) needed.add(input);
    }
    const renumber = new Map<number, number>([[0, 0]]);
    const kept: Step[] = [];
    this.steps.forEach((step, i) => {
      if (!needed.has(i + 1)) return;
      const map = (v: number) => renumber.get(v)!;
      kept.push(step.kind === 'add' ? { ...step, inputs: step.inputs.map(map) } : { ...step, input: map(step.input) });
      renumber.set(i + 1, kept.length);
    });
    const used = new Set(kept.flatMap(tensorsOf));
    for (const tensor of this.owned) if (!used.has(tensor)) tensor.dispose();
    this.owned.clear();
    return new FusedNetwork(kept);
  }

  /** Disposes everything owned so far: for a build that was given up. */
  abandon(): void {
    for (const tensor of this.owned) tensor.dispose();
    this.owned.clear();
  }
}

/** Runs a step list. Owns the tensors of its steps. */
export class FusedNetwork {
  /** For each value, the last step that reads it: it is disposed right after, to keep the working set small. */
  private readonly lastUse: number[];

  constructor(readonly steps: readonly Step[]) {
    this.lastUse = new Array<number>(steps.length + 1).fill(-1);
    steps.forEach((step, i) => inputsOf(step).forEach((v) => (this.lastUse[v] = i)));
  }

  /** The network's output for `input`; `input` stays the caller's. */
  run(input: tf.Tensor4D): tf.Tensor {
    return tf.tidy(() => {
      const values: tf.Tensor[] = [input];
      this.steps.forEach((step, i) => {
        values.push(runStep(step, values));
        for (const v of inputsOf(step)) if (v !== 0 && this.lastUse[v] === i) values[v].dispose();
      });
      return values[this.steps.length];
    });
  }

  dispose(): void {
    tf.dispose(this.steps.flatMap(tensorsOf));
  }
}

function runStep(step: Step, values: readonly tf.Tensor[]): tf.Tensor {
  switch (step.kind) {
    case 'conv':
    case 'depthwise': {
      const args = {
        x: values[step.input] as tf.Tensor4D,
        filter: step.filter,
        strides: step.strides,
        dilations: step.dilations,
        pad: step.pad,
        bias: step.bias ?? undefined,
        activation: step.activation,
      };
      // The depthwise op's type leaves out explicit padding, which its kernels take all the same (computeConv2DInfo).
      return step.kind === 'conv' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args as Omit<typeof args, 'pad'> & { pad: 'same' });
    }
    case 'affine':
      return tf.add(tf.mul(values[step.input], step.scale), step.offset);
    case 'relu':
      return tf.relu(values[step.input]);
    case 'relu6':
      return tf.relu6(values[step.input]);
    case 'pad':
      return tf.pad(values[step.input], [[0, 0], ...step.padding, [0, 0]]);
    case 'add':
      return step.inputs.length === 2 ? tf.add(values[step.inputs[0]], values[step.inputs[1]]) : tf.addN(step.inputs.map((v) => values[v]));
    case 'mean':
      return tf.mean(values[step.input], [1, 2]);
    case 'avgPool':
      return tf.avgPool(values[step.input] as tf.Tensor4D, step.size, step.strides, step.pad);
  }
}
