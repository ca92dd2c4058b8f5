import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs, positiveInt } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';

export const permuteArgsSchema = baseLayerArgsSchema.extend({
  /** The new order of the non-batch axes, numbered from 1: [2, 1] swaps the two axes of a sequence. */
  dims: z.array(positiveInt()).min(1),
}).strict();

export type PermuteArgs = z.input<typeof permuteArgsSchema>;

/** Reorders the non-batch axes (Keras Permute). Masks are not propagated (Keras 3). */
export class Permute extends Layer {
  static override className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    const a = parseLayerArgs('Permute', permuteArgsSchema, args);
    super(a);
    const sorted = [...a.dims].sort((p, q) => p - q);
    if (sorted.some((d, i) => d !== i + 1)) {
      throw new Error(`Permute: dims must be a permutation of 1..${a.dims.length} (axis 0, the batch, stays), got [${a.dims.join(', ')}].`);
    }
    this.dims = [...a.dims];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== this.dims.length + 1) {
      throw new Error(`${this.describe()}: dims [${this.dims.join(', ')}] need inputs of rank ${this.dims.length + 1}, got ${formatShape(shape)}.`);
    }
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0], ...this.dims.map((d) => shape[d] ?? null)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

registerLayer(Permute);
