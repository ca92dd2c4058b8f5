import * as tf from '@tensorflow/tfjs';
import { conv1dFused, type Conv1DActivation, type Conv1DFusedOptions } from '@recurrent/kernels';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import { KernelBias, kernelBiasArgsShape } from '../kernel_bias';
import type { TfjsConfigProblem } from '../tfjs_dialect';
import {
  checkWindowFits, dataFormatSchema, oneDimension, swapChannels, unwrapOne, windowOutputLength, windowPadding, windowTaps,
  type DataFormat, type Padding1D, type WindowSpec,
} from './conv_utils';

export const conv1DArgsSchema = baseLayerArgsSchema.extend({
  filters: positiveInt(),
  kernelSize: oneDimension(),
  strides: oneDimension().optional(),
  padding: z.enum(['valid', 'same', 'causal'], { error: (iss) => `expected "valid", "same" or "causal", got ${JSON.stringify(iss.input)}` }).optional(),
  dataFormat: dataFormatSchema.nullish(),
  dilationRate: oneDimension().optional(),
  /** Splits the input channels and the filters into this many independent groups. */
  groups: positiveInt().optional(),
  ...kernelBiasArgsShape,
}).strict();

export type Conv1DArgs = z.input<typeof conv1DArgsSchema>;

/**
 * Why a Conv1D cannot run as the fused kernel op `conv1dFused` (@recurrent/kernels), or null when it can.
 * The op computes one group over a channels_last input it reads as float32; the layer pads ('same',
 * 'causal'), transposes channels_first and casts before calling it, so only grouped convolutions remain
 * outside: the op has no group axis (each group would be its own convolution over a slice of the
 * channels), so they keep the tap path with a batched product per tap.
 */
export function fusedConv1DUnsupportedReason(groups: number): string | null {
  return groups === 1 ? null : `groups is ${groups}: the fused op computes a single group`;
}

/**
 * 1-D convolution over time (Keras Conv1D): `activation(conv(x, kernel) + bias)` with the kernel
 * [kernelSize, inputChannels/groups, filters]. With one group it runs as the fused op `conv1dFused` of
 * @recurrent/kernels (on the native addon: the matrix-product micro-kernel reading the padded input in
 * place, one call forward and one backward), which also adds the bias and applies a relu or linear
 * activation. Grouped convolutions sum over the kernel's taps j of one matrix product each, (x shifted
 * by j*dilation, strided) [batch*steps, channels] x kernel[j] [channels, filters], batched over the groups. Masks are not propagated (Keras 3's Conv1D drops them).
 */
export class Conv1D extends Layer {
  static override className = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding1D;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number;
  readonly groups: number;
  /** The activation, kernel and bias options. */
  readonly options: KernelBias;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: Conv1DArgs) {
    const a = parseLayerArgs('Conv1D', conv1DArgsSchema, args);
    super(a);
    this.filters = a.filters;
    this.kernelSize = unwrapOne(a.kernelSize);
    this.strides = unwrapOne(a.strides ?? 1);
    this.padding = a.padding ?? 'valid';
    this.dataFormat = a.dataFormat ?? 'channels_last';
    this.dilationRate = unwrapOne(a.dilationRate ?? 1);
    this.groups = a.groups ?? 1;
    this.options = new KernelBias(a);
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new Error(`Conv1D: strides > 1 together with dilationRate > 1 is not supported (Keras refuses it too), got strides ${this.strides} and dilationRate ${this.dilationRate}.`);
    }
    if (this.filters % this.groups !== 0) {
      throw new Error(`Conv1D: filters (${this.filters}) must be divisible by groups (${this.groups}).`);
    }
  }

  private get window(): WindowSpec {
    return { kernel: this.kernelSize, stride: this.strides, dilation: this.dilationRate, padding: this.padding };
  }

  private get channelAxis(): number {
    return this.dataFormat === 'channels_last' ? 2 : 1;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = shape[this.channelAxis];
    if (shape.length !== 3 || channels == null) {
      throw new Error(`${this.describe()}: expects inputs [batch, steps, channels] (channels_first: [batch, channels, steps]) with known channels, got ${formatShape(shape)}.`);
    }
    if (channels % this.groups !== 0) {
      throw new Error(`${this.describe()}: the ${channels} input channels must be divisible by groups (${this.groups}).`);
    }
    checkWindowFits(this.describe(), shape, 3 - this.channelAxis, this.window);
    ({ kernel: this.kernel, bias: this.bias } = this.options.addWeights(this, [this.kernelSize, channels / this.groups, this.filters], this.filters));
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const raw = Array.isArray(inputs) ? inputs[0] : inputs;
    const kernel = this.kernel!.read();
    const channels = (kernel.shape[1] as number) * this.groups;
    if (raw.rank !== 3 || raw.shape[this.channelAxis] !== channels) {
      throw new Error(`${this.describe()}: was built for ${channels} input channels, got an input of shape [${raw.shape.join(', ')}].`);
    }
    return tf.tidy(() => {
      const cast = raw.dtype === 'float32' ? raw : raw.cast('float32');
      const x = this.dataFormat === 'channels_last' ? cast : swapChannels(cast);
      checkWindowFits(this.describe(), [...x.shape], 1, this.window);
      const fused = fusedConv1DUnsupportedReason(this.groups) === null;
      const epilogue = fused ? this.fusedEpilogue() : null;
      if (epilogue !== null) {
        const y = this.fusedProduct(x, kernel, raw, { bias: this.bias?.read(), activation: epilogue });
        return this.dataFormat === 'channels_last' ? y : swapChannels(y);
      }
      let y = fused ? this.fusedProduct(x, kernel, raw) : this.tapProducts(x, kernel);
      const [batch, steps] = y.shape as [number, number, number];
      y = y.reshape([batch * steps, this.filters]);
      if (this.bias) y = KernelBias.addBias(y, this.bias.read());
      y = this.options.activation.apply(y).reshape([batch, steps, this.filters]);
      return this.dataFormat === 'channels_last' ? y : swapChannels(y);
    });
  }

  /**
   * x [batch, length, channels] -> [batch, steps, filters] through the fused op, x padded first; `raw`,
   * the layer's input x was cast, transposed or padded from, tells the op whether dx can be needed.
   */
  private fusedProduct(x: Tensor, kernel: Tensor, raw: Tensor, epilogue: Pick<Conv1DFusedOptions, 'bias' | 'activation'> = {}): Tensor {
    const [before, after] = windowPadding(x.shape[1] as number, this.window);
    const padded = before + after > 0 ? tf.pad(x, [[0, 0], [before, after], [0, 0]]) : x;
    return conv1dFused(padded, kernel, { stride: this.strides, dilation: this.dilationRate, context: this.describe(), inputOrigin: raw, ...epilogue });
  }

  /**
   * The activation the fused op applies itself, with the bias, when the layer's is one it has ('relu',
   * 'linear'): the same values and gradients as the separate ops without a pass (and a tensor) each.
   * null for any other activation, which runs as its own op after the bias.
   */
  private fusedEpilogue(): Conv1DActivation | null {
    const { builtIn, name } = this.options.activation;
    return builtIn && (name === 'relu' || name === 'linear') ? name : null;
  }

  /** The same as the sum over the taps of one (grouped) matrix product each. */
  private tapProducts(x: Tensor, kernel: Tensor): Tensor {
    const channels = x.shape[2] as number;
    const taps = windowTaps(x, this.window);
    const [batch, steps] = taps[0].shape as [number, number];
    const tapKernels = tf.unstack(kernel);
    const products = taps.map((tap, j) => this.groupedProduct(tap.reshape([batch * steps, channels]), tapKernels[j]));
    // Pairwise adds run in the project's fast 'cpu' Add kernel (tfjs's AddN loops element by element).
    return products.slice(1).reduce((sum, p) => tf.add(sum, p), products[0]).reshape([batch, steps, this.filters]);
  }

  /**
   * rows [n, channels] x tapKernel [channels/groups, filters] with one batched product over the groups:
   * group g multiplies channels and filters g*size..(g+1)*size-1.
   */
  private groupedProduct(rows: Tensor, tapKernel: Tensor): Tensor {
    const g = this.groups;
    const n = rows.shape[0] as number;
    const cg = tapKernel.shape[0] as number;
    const fg = this.filters / g;
    const groupedRows = rows.reshape([n, g, cg]).transpose([1, 0, 2]);
    const groupedKernel = tapKernel.reshape([cg, g, fg]).transpose([1, 0, 2]);
    return tf.matMul(groupedRows, groupedKernel).transpose([1, 0, 2]).reshape([n, this.filters]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const steps = windowOutputLength(shape[3 - this.channelAxis], this.window);
    return this.dataFormat === 'channels_last' ? [shape[0], steps, this.filters] : [shape[0], this.filters, steps];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [this.dilationRate],
      groups: this.groups,
      ...this.options.getConfig(),
    };
  }

  /** tfjs's Conv1D has no groups, refuses causal padding when called, and is channels_last only (it drops data_format). */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    const problems: TfjsConfigProblem[] = [];
    if (config.groups !== undefined && config.groups !== 1) problems.push({ key: 'groups', reason: 'TensorFlow.js has no grouped Conv1D' });
    if (config.padding === 'causal') problems.push({ key: 'padding', reason: "TensorFlow.js's Conv1D does not implement causal padding" });
    if (config.dataFormat === 'channels_first') problems.push({ key: 'dataFormat', reason: "TensorFlow.js's Conv1D is channels_last only" });
    delete config.groups;
    delete config.dataFormat;
    return problems;
  }
}

registerLayer(Conv1D, 'Convolution1D');
