import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';

export const flattenArgsSchema = baseLayerArgsSchema.extend({
  /** 'channels_first' moves axis 1 last before flattening, so the order matches channels_last models. */
  dataFormat: z.enum(['channels_last', 'channels_first']).nullish(),
}).strict();

export type FlattenArgs = z.input<typeof flattenArgsSchema>;

/** Collapses every dimension but the batch: [batch, a, b] -> [batch, a*b]. */
export class Flatten extends Layer {
  static override className = 'Flatten';
  readonly dataFormat: 'channels_last' | 'channels_first';

  constructor(args: FlattenArgs = {}) {
    const a = parseLayerArgs('Flatten', flattenArgsSchema, args);
    super(a);
    this.dataFormat = a.dataFormat ?? 'channels_last';
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      let y = x;
      if (this.dataFormat === 'channels_first' && x.rank > 2) {
        y = tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
      }
      return y.reshape([x.shape[0], -1]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length < 1) throw new Error(`${this.describe()}: needs a batch dimension, got ${formatShape(shape)}.`);
    const rest = shape.slice(1);
    const known = rest.every((d) => d != null);
    return [shape[0], known ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

registerLayer(Flatten);
