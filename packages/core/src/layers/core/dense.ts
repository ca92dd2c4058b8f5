import * as tf from '@tensorflow/tfjs';
import { denseMatMul } from '@recurrent/kernels';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import { KernelBias, kernelBiasArgsShape } from '../kernel_bias';
import { softmaxLogitsKept } from '../../engine/softmax_logits_scope';

export const denseArgsSchema = baseLayerArgsSchema.extend({
  units: positiveInt(),
  ...kernelBiasArgsShape,
}).strict();

export type DenseArgs = z.input<typeof denseArgsSchema>;

/** `activation(x · kernel + bias)` on the last axis; a 3-D input is handled step by step in one matmul. */
export class Dense extends Layer {
  static override className = 'Dense';
  readonly units: number;
  /** The activation, kernel and bias options. */
  readonly options: KernelBias;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: DenseArgs) {
    const a = parseLayerArgs('Dense', denseArgsSchema, args);
    super(a);
    this.units = a.units;
    this.options = new KernelBias(a);
    this.supportsMasking = true;
  }


  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const inputDim = shape[shape.length - 1];
    if (shape.length < 2 || inputDim == null) {
      throw new Error(`${this.describe()}: needs an input of rank >= 2 with a known last dimension, got ${formatShape(shape)}.`);
    }
    ({ kernel: this.kernel, bias: this.bias } = this.options.addWeights(this, [inputDim, this.units], this.units));
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const kernel = this.kernel!.read();
    const inputDim = kernel.shape[0];
    if (x.shape[x.rank - 1] !== inputDim) {
      throw new Error(`${this.describe()}: was built for inputs with last dimension ${inputDim}, got shape [${x.shape.join(', ')}].`);
    }
    const preActivation = (): Tensor => {
      const flat = x.rank === 2 ? x : x.reshape([-1, inputDim]);
      // The bias is added inside the product's op (one op on the gradient tape, the bits of a separate add).
      return denseMatMul(flat.dtype === 'float32' ? flat : flat.cast('float32'), kernel, this.bias ? this.bias.read() : null);
    };
    const activation = this.options.activation;
    if (activation.builtIn && activation.name === 'softmax' && softmaxLogitsKept()) {
      // The training engine's forward pass: the logits stay in its scope, for the cross-entropy losses
      // (a row's softmax does not depend on the batch shape around it, so the reshape may come first).
      return activation.apply(tf.tidy(() => (x.rank === 2 ? preActivation() : preActivation().reshape([...x.shape.slice(0, -1), this.units]))));
    }
    return tf.tidy(() => {
      const y = this.options.activation.apply(preActivation());
      return x.rank === 2 ? y : y.reshape([...x.shape.slice(0, -1), this.units]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units, ...this.options.getConfig() };
  }
}

registerLayer(Dense);
