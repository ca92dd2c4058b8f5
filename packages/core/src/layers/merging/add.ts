import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Shape, Tensor } from '../../engine/types';
import { broadcastShapes, Merge } from './merge';

export const addArgsSchema = baseLayerArgsSchema.extend({}).strict();

export type AddArgs = z.input<typeof addArgsSchema>;

/** Elementwise sum of a list of tensors of the same (or broadcastable) shape. */
export class Add extends Merge {
  static override className = 'Add';

  constructor(args: AddArgs = {}) {
    const a = parseLayerArgs('Add', addArgsSchema, args);
    super(a);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const xs = this.tensorList(inputs);
    return tf.tidy(() => xs.slice(1).reduce((sum, x) => sum.add(x), xs[0]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const sample = shapes.slice(1).reduce((acc, s) => broadcastShapes(acc, s.slice(1), this.describe()), shapes[0].slice(1));
    const batch = shapes.map((s) => s[0]).find((d) => d != null) ?? null;
    return [batch, ...sample];
  }

  /** Keras: the OR of the input masks when every input has one, else no mask. */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | null {
    void inputs;
    if (!Array.isArray(mask) || mask.length === 0 || mask.some((m) => m == null)) return null;
    return tf.tidy(() => mask.slice(1).reduce((acc, m) => tf.logicalOr(acc, m), mask[0]));
  }
}

registerLayer(Add);
