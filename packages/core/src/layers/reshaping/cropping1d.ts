import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import { notInTfjs } from '../tfjs_dialect';
import { SequenceLayer } from './sequence_layer';
import { beforeAfter, beforeAfterSchema } from './padding_args';

export const cropping1DArgsSchema = baseLayerArgsSchema.extend({
  /** Steps removed at the start and the end of the time axis (default 1 each). */
  cropping: beforeAfterSchema().optional(),
}).strict();

export type Cropping1DArgs = z.input<typeof cropping1DArgsSchema>;

/** Removes steps at the start and the end of a sequence (Keras Cropping1D). Masks are not propagated (Keras 3). */
export class Cropping1D extends SequenceLayer {
  static override className = 'Cropping1D';
  static adaptConfigForTfjs = notInTfjs('Cropping1D');
  readonly cropping: [number, number];

  constructor(args: Cropping1DArgs = {}) {
    const a = parseLayerArgs('Cropping1D', cropping1DArgsSchema, args);
    super(a);
    this.cropping = beforeAfter(a.cropping ?? 1);
  }

  private checkLength(shape: Shape): void {
    const steps = shape[1];
    if (steps != null && this.cropping[0] + this.cropping[1] >= steps) {
      throw new Error(`${this.describe()}: cropping [${this.cropping.join(', ')}] must leave at least one of the ${steps} steps of ${formatShape(shape)}.`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    super.build(inputShape);
    this.checkLength(inputShape as Shape);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    this.checkLength([...x.shape]);
    const steps = (x.shape[1] as number) - this.cropping[0] - this.cropping[1];
    return tf.slice(x, [0, this.cropping[0], 0], [-1, steps, -1]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    this.checkLength(shape);
    const steps = shape[1];
    return [shape[0], steps == null ? null : steps - this.cropping[0] - this.cropping[1], shape[2]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }
}

registerLayer(Cropping1D);
