import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import type { TfjsConfigProblem } from '../tfjs_dialect';
import { nonNegativeNumber } from './activation_args';

export const leakyReLUArgsSchema = baseLayerArgsSchema.extend({
  /** Slope for negative inputs (Keras 3's name; default 0.3). */
  negativeSlope: nonNegativeNumber().optional(),
  /** Keras 2's and TensorFlow.js's name for negativeSlope; wins when both are given, as in Keras 3. */
  alpha: nonNegativeNumber().optional(),
}).strict();

export type LeakyReLUArgs = z.input<typeof leakyReLUArgsSchema>;

/** x for x > 0, negativeSlope * x otherwise (Keras LeakyReLU). */
export class LeakyReLU extends Layer {
  static override className = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    const a = parseLayerArgs('LeakyReLU', leakyReLUArgsSchema, args);
    super(a);
    this.negativeSlope = a.alpha ?? a.negativeSlope ?? 0.3;
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return tf.leakyRelu(Array.isArray(inputs) ? inputs[0] : inputs, this.negativeSlope);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }

  /** tfjs (like Keras 2) calls the slope alpha. */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    config.alpha = config.negativeSlope;
    delete config.negativeSlope;
    return [];
  }
}

registerLayer(LeakyReLU);
