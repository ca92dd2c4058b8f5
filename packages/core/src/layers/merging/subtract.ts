import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Shape, Tensor } from '../../engine/types';
import { notInTfjs } from '../tfjs_dialect';
import { ElementwiseMerge } from './merge';

export const subtractArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type SubtractArgs = z.input<typeof subtractArgsSchema>;

/** inputs[0] - inputs[1], elementwise (exactly two inputs). */
export class Subtract extends ElementwiseMerge {
  static override className = 'Subtract';
  static adaptConfigForTfjs = notInTfjs('Subtract');

  constructor(args: SubtractArgs = {}) {
    super(parseLayerArgs('Subtract', subtractArgsSchema, args));
  }

  override build(inputShape: Shape | Shape[]): void {
    if (this.shapeList(inputShape).length !== 2) throw new Error(`${this.describe()}: expects exactly 2 inputs, got ${inputShape.length}.`);
    super.build(inputShape);
  }

  protected mergeFunction(xs: Tensor[]): Tensor {
    if (xs.length !== 2) throw new Error(`${this.describe()}: expects exactly 2 inputs, got ${xs.length}.`);
    return tf.sub(xs[0], xs[1]);
  }
}

registerLayer(Subtract);
