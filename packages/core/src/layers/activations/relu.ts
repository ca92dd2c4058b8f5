import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { dropDefaultKey, type TfjsConfigProblem } from '../tfjs_dialect';
import { nonNegativeNumber } from './activation_args';

export const reluArgsSchema = baseLayerArgsSchema.extend({
  /** Upper bound of the output; null for none. */
  maxValue: nonNegativeNumber().nullish(),
  /** Slope below the threshold (default 0). */
  negativeSlope: nonNegativeNumber().optional(),
  /** Inputs at or below it count as negative (default 0). */
  threshold: nonNegativeNumber().optional(),
}).strict();

export type ReLUArgs = z.input<typeof reluArgsSchema>;

/**
 * Keras ReLU: x above `threshold` (clipped to `maxValue`), `negativeSlope * (x - threshold)` below.
 * Computed as Keras 3 does: relu (or x where x > threshold, else 0), clipped, minus
 * negativeSlope * relu(threshold - x); with only a slope, leaky relu.
 */
export class ReLU extends Layer {
  static override className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    const a = parseLayerArgs('ReLU', reluArgsSchema, args);
    super(a);
    this.maxValue = a.maxValue ?? null;
    this.negativeSlope = a.negativeSlope ?? 0;
    this.threshold = a.threshold ?? 0;
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      if (this.negativeSlope !== 0 && this.maxValue === null && this.threshold === 0) return tf.leakyRelu(x, this.negativeSlope);
      // x where x > threshold (>= 0), else 0: relu(x) * step(x - threshold), as tfjs differentiates tf.step but
      // not a comparison, and relu gives +0 where x * 0 would give -0.
      let y = this.threshold !== 0 ? tf.mul(tf.relu(x), tf.step(tf.sub(x, this.threshold))) : tf.relu(x);
      if (this.maxValue !== null) y = tf.clipByValue(y, 0, this.maxValue);
      if (this.negativeSlope !== 0) y = tf.sub(y, tf.mul(tf.relu(tf.sub(this.threshold, x)), this.negativeSlope));
      return y;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }

  /** tfjs's ReLU has only max_value. */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    return [
      ...dropDefaultKey(config, 'negativeSlope', 0, "TensorFlow.js's ReLU has no negative_slope (use LeakyReLU)"),
      ...dropDefaultKey(config, 'threshold', 0, "TensorFlow.js's ReLU has no threshold"),
    ];
  }
}

registerLayer(ReLU);
