import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, finiteNumber, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import type { TfjsConfigProblem } from '../tfjs_dialect';

export const eluArgsSchema = baseLayerArgsSchema.extend({
  /** Scale of the negative part (default 1). */
  alpha: finiteNumber().optional(),
}).strict();

export type ELUArgs = z.input<typeof eluArgsSchema>;

/**
 * x for x > 0, alpha * (exp(x) - 1) otherwise (Keras ELU). Keras 3 leaves alpha out of its config (so
 * its files always mean 1); it is written here, which Keras 3 reads back as an argument.
 */
export class ELU extends Layer {
  static override className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    const a = parseLayerArgs('ELU', eluArgsSchema, args);
    super(a);
    this.alpha = a.alpha ?? 1;
    this.supportsMasking = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.alpha === 1) return tf.elu(x);
    // elu(x) where x > 0, alpha * elu(x) elsewhere (Keras 3's TensorFlow backend), written with tf.step,
    // which tfjs differentiates (a comparison it does not).
    return tf.tidy(() => tf.mul(tf.elu(x), tf.add(this.alpha, tf.mul(1 - this.alpha, tf.step(x)))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  /** tfjs's ELU refuses any alpha but 1. */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    return config.alpha === 1 ? [] : [{ key: 'alpha', reason: "TensorFlow.js's ELU only computes alpha = 1" }];
  }
}

registerLayer(ELU);
