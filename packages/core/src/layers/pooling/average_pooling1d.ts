import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import { Pooling1D, pooling1DArgsSchema } from './pooling1d';

export const averagePooling1DArgsSchema = pooling1DArgsSchema;

export type AveragePooling1DArgs = z.input<typeof averagePooling1DArgsSchema>;

/**
 * Mean over windows of `poolSize` steps (Keras AveragePooling1D). With 'same' padding a window that
 * reaches past the sequence averages only its real steps, as TensorFlow does (Keras's other backends
 * may count the padding).
 */
export class AveragePooling1D extends Pooling1D {
  static override className = 'AveragePooling1D';

  constructor(args: AveragePooling1DArgs = {}) {
    super(parseLayerArgs('AveragePooling1D', averagePooling1DArgsSchema, args));
  }

  protected pool(x: Tensor): Tensor {
    const taps = this.taps(x, 0);
    const sum = taps.length === 1 ? taps[0] : tf.addN(taps);
    if (this.padding === 'valid') return sum.div(this.poolSize);
    const inverseCounts = this.stepsPerWindow(x.shape[1] as number).map((n) => 1 / n);
    return sum.mul(tf.tensor3d(inverseCounts, [1, inverseCounts.length, 1]));
  }
}

registerLayer(AveragePooling1D, 'AvgPool1D');
