import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../engine/schema_parts';
import type { Shape, Tensor } from '../../engine/types';
import { notInTfjs } from '../tfjs_dialect';
import { SequenceLayer } from './sequence_layer';

export const upSampling1DArgsSchema = baseLayerArgsSchema.extend({
  /** How many times each step is repeated (default 2). */
  size: positiveInt().optional(),
}).strict();

export type UpSampling1DArgs = z.input<typeof upSampling1DArgsSchema>;

/** Repeats every step `size` times along the time axis (Keras UpSampling1D). Masks are not propagated (Keras 3). */
export class UpSampling1D extends SequenceLayer {
  static override className = 'UpSampling1D';
  static adaptConfigForTfjs = notInTfjs('UpSampling1D');
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    const a = parseLayerArgs('UpSampling1D', upSampling1DArgsSchema, args);
    super(a);
    this.size = a.size ?? 2;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [batch, steps, features] = x.shape as [number, number, number];
    return tf.tidy(() => tf.tile(x.expandDims(2), [1, 1, this.size, 1]).reshape([batch, steps * this.size, features]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0], shape[1] == null ? null : shape[1] * this.size, shape[2]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}

registerLayer(UpSampling1D);
