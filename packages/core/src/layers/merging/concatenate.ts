import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, integer, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import { Merge } from './merge';

export const concatenateArgsSchema = baseLayerArgsSchema.extend({
  axis: integer().optional(),
}).strict();

export type ConcatenateArgs = z.input<typeof concatenateArgsSchema>;

/** Joins a list of tensors along `axis` (default -1, the features); other dimensions must agree. */
export class Concatenate extends Merge {
  static override className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    const a = parseLayerArgs('Concatenate', concatenateArgsSchema, args);
    super(a);
    this.axis = a.axis ?? -1;
    this.supportsMasking = true;
  }

  private positiveAxis(rank: number): number {
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 1 || axis >= rank) {
      throw new Error(`${this.describe()}: axis ${this.axis} is out of range for inputs of rank ${rank} (the batch axis 0 cannot be joined).`);
    }
    return axis;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const xs = this.tensorList(inputs);
    return tf.concat(xs, this.positiveAxis(xs[0].rank));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const rank = shapes[0].length;
    const axis = this.positiveAxis(rank);
    for (const s of shapes) {
      const mismatch = s.length !== rank || s.some((d, i) => i !== axis && i !== 0 && d != null && shapes[0][i] != null && d !== shapes[0][i]);
      if (mismatch) {
        throw new Error(`${this.describe()}: inputs must match except on axis ${this.axis}, got ${shapes.map(formatShape).join(' and ')}.`);
      }
    }
    const out = [...shapes[0]];
    out[axis] = shapes.some((s) => s[axis] == null) ? null : shapes.reduce((sum, s) => sum + (s[axis] as number), 0);
    return out;
  }

  /**
   * Keras 3: masks (all-true for unmasked inputs) joined along `axis`, then any() over the last axis. The
   * masks are built from the inputs' shapes only, never from their values, so a loss weighted by the mask
   * does not try to differentiate through it.
   */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | null {
    if (!Array.isArray(mask) || mask.every((m) => m == null)) return null;
    const xs = this.tensorList(inputs);
    return tf.tidy(() => {
      const full = xs.map((x, i) => {
        const m = mask[i];
        if (m == null) return tf.ones(x.shape, 'bool');
        const keep = m.dtype === 'bool' ? m : tf.notEqual(m, 0);
        return keep.rank < x.rank ? tf.broadcastTo(keep.expandDims(-1), x.shape) : keep;
      });
      return tf.any(tf.concat(full, this.positiveAxis(xs[0].rank)), -1);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerLayer(Concatenate);
