import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';

export const repeatVectorArgsSchema = baseLayerArgsSchema.extend({
  n: positiveInt(),
}).strict();

export type RepeatVectorArgs = z.input<typeof repeatVectorArgsSchema>;

/** [batch, features] -> [batch, n, features]: the same vector at every step (one-to-many models). */
export class RepeatVector extends Layer {
  static override className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    const a = parseLayerArgs('RepeatVector', repeatVectorArgsSchema, args);
    super(a);
    this.n = a.n;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 2) throw new Error(`${this.describe()}: expects [batch, features] inputs, got ${formatShape(shape)}.`);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.tile(x.expandDims(1), [1, this.n, 1]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0], this.n, shape[1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

registerLayer(RepeatVector);
