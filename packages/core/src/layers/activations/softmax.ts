import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { BUILT_IN_ACTIVATIONS } from '../../activations/activations';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, integer, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import type { TfjsConfigProblem } from '../tfjs_dialect';

export const softmaxArgsSchema = baseLayerArgsSchema.extend({
  /** The axis normalized over (default -1), or several axes normalized together. */
  axis: z.union([integer(), z.array(integer()).min(1)], {
    error: (iss) => `expected an integer or a list of integers, got ${JSON.stringify(iss.input)}`,
  }).optional(),
}).strict();

export type SoftmaxArgs = z.input<typeof softmaxArgsSchema>;

/** Keras fills masked logits with this before the softmax. */
const MASKED_LOGIT = -1e9;

/**
 * Softmax over `axis` (Keras Softmax). With a mask (true or > 0.5 keeps a position), masked logits
 * are set to -1e9 and masked outputs to 0, so a fully masked slice gives zeros (Keras 3). The mask must
 * broadcast against the inputs dimension by dimension from the right, as Keras 3 requires; a
 * sequence mask [batch, steps] on [batch, steps, classes] logits therefore does not fit, as in Keras.
 */
export class Softmax extends Layer {
  static override className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    const a = parseLayerArgs('Softmax', softmaxArgsSchema, args);
    super(a);
    this.axis = Array.isArray(a.axis) ? [...a.axis] : a.axis ?? -1;
    this.supportsMasking = true;
  }

  private checkMask(mask: Tensor, x: Tensor): void {
    const fits = mask.rank <= x.rank && mask.shape.every((d, i) => {
      const inputDim = x.shape[x.rank - mask.rank + i];
      return d === 1 || d === inputDim;
    });
    if (!fits) {
      throw new Error(`${this.describe()}: the mask [${mask.shape.join(', ')}] must broadcast to the inputs [${x.shape.join(', ')}] (each mask dimension, from the right, 1 or the input's; Keras 3's rule).`);
    }
  }

  /** Softmax of x over the layer's axes. */
  private softmax(x: Tensor): Tensor {
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + x.rank : a));
    if (axes.some((a) => a < 0 || a >= x.rank)) throw new Error(`${this.describe()}: axis ${JSON.stringify(this.axis)} is out of range for inputs of rank ${x.rank}.`);
    if (axes.length > 1) return tf.exp(tf.sub(x, tf.logSumExp(x, axes, true)));
    const axis = axes[0];
    if (axis === x.rank - 1) return BUILT_IN_ACTIVATIONS.softmax(x);
    // tfjs normalizes the last axis only: move the axis last and back.
    const order = [...Array(x.rank).keys()].filter((i) => i !== axis).concat(axis);
    const inverse = order.map((_, i) => order.indexOf(i));
    return tf.transpose(BUILT_IN_ACTIVATIONS.softmax(tf.transpose(x, order)), inverse);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    if (!mask) return tf.tidy(() => this.softmax(x));
    this.checkMask(mask, x);
    return tf.tidy(() => {
      const keep = tf.broadcastTo(mask.dtype === 'bool' ? mask : tf.greater(mask, 0.5), x.shape);
      const outputs = this.softmax(tf.where(keep, x, tf.fill(x.shape, MASKED_LOGIT)));
      return tf.where(keep, outputs, tf.zerosLike(outputs));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }

  /**
   * TensorFlow.js 4.22 writes and reads any axis but computes a softmax over the last one only (other
   * axes throw at predict time). The config does not know the input's rank, so only -1 is known to be
   * the last axis.
   */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    return config.axis === -1 ? [] : [{ key: 'axis', reason: `TensorFlow.js's Softmax only computes over the last axis (axis -1), got ${JSON.stringify(config.axis)}` }];
  }
}

registerLayer(Softmax);
