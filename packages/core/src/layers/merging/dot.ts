import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, integer, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import { Merge } from './merge';

export const dotArgsSchema = baseLayerArgsSchema.extend({
  /** The axis summed over in both inputs, or [axis of the first, axis of the second]; never 0 (the batch). */
  axes: z.union([integer(), z.tuple([integer(), integer()])], {
    error: (iss) => `expected an integer or a list of two integers, got ${JSON.stringify(iss.input)}`,
  }),
  /** L2-normalize both inputs along their axis first, so the result is the cosine similarity. */
  normalize: z.boolean().optional(),
}).strict();

export type DotArgs = z.input<typeof dotArgsSchema>;

/** Keras's L2 normalization: x * rsqrt(max(sum(x^2), epsilon^2)) with its epsilon 1e-7. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-14)));
}

/** Moves axis `from` of a tensor of rank `rank` to position `to`, keeping the others in order. */
function moveAxis(rank: number, from: number, to: number): number[] {
  const rest = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== from);
  rest.splice(to, 0, from);
  return rest;
}

/**
 * Batchwise dot product (Keras's batch_dot): for every sample, the sum over x's axis a and y's axis b.
 * The result has x's other axes, then y's other non-batch axes; a rank-1 result gets an axis of size 1.
 * One batched matrix product: x as [batch, rows, k], y as [batch, k, columns].
 */
export function batchDot(x: Tensor, y: Tensor, axes: [number, number]): Tensor {
  return tf.tidy(() => {
    let [a, b] = axes;
    let xx = x.rank === 2 ? x.expandDims(1) : x;
    if (x.rank === 2) a += 1;
    let yy = y.rank === 2 ? y.expandDims(2) : y;
    if (a !== xx.rank - 1) xx = xx.transpose(moveAxis(xx.rank, a, xx.rank - 1));
    if (b !== 1) yy = yy.transpose(moveAxis(yy.rank, b, 1));
    const batch = xx.shape[0] as number;
    const k = xx.shape[xx.rank - 1] as number;
    const rows = xx.shape.slice(1, -1) as number[];
    const columns = yy.shape.slice(2) as number[];
    const product = tf.matMul(xx.reshape([batch, -1, k]), yy.reshape([batch, k, -1]));
    let result = product.reshape([batch, ...rows, ...columns]);
    if (x.rank === 2) result = result.squeeze([1]);
    else if (y.rank === 2) result = result.squeeze([result.rank - 1]);
    return result;
  });
}

/**
 * Dot product of two inputs over one axis each (Keras Dot), per sample: e.g. attention scores
 * [batch, Tq, d] . [batch, Tv, d] with axes 2 give [batch, Tq, Tv]. No output mask (as in Keras).
 */
export class Dot extends Merge {
  static override className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    const a = parseLayerArgs('Dot', dotArgsSchema, args);
    super(a);
    this.axes = Array.isArray(a.axes) ? [a.axes[0], a.axes[1]] : a.axes;
    this.normalize = a.normalize ?? false;
    this.supportsMasking = true;
  }

  /** The two axes, non-negative, checked against the ranks (Keras: a negative int counts from the end). */
  private resolveAxes(rank1: number, rank2: number): [number, number] {
    const given = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const resolved = [given[0] < 0 ? given[0] + rank1 : given[0], given[1] < 0 ? given[1] + rank2 : given[1]] as [number, number];
    if (resolved.some((axis, i) => axis <= 0 || axis >= [rank1, rank2][i])) {
      throw new Error(`${this.describe()}: axes ${JSON.stringify(this.axes)} must name a non-batch axis of each input (ranks ${rank1} and ${rank2}).`);
    }
    return resolved;
  }

  private twoShapes(inputShape: Shape | Shape[]): [Shape, Shape] {
    const shapes = this.shapeList(inputShape);
    if (shapes.length !== 2) throw new Error(`${this.describe()}: expects exactly 2 inputs, got ${shapes.length}.`);
    const [s1, s2] = shapes;
    if (s1.length < 2 || s2.length < 2) throw new Error(`${this.describe()}: inputs need a batch axis and at least one more, got ${formatShape(s1)} and ${formatShape(s2)}.`);
    return [s1, s2];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const xs = this.tensorList(inputs);
    if (xs.length !== 2) throw new Error(`${this.describe()}: expects exactly 2 tensors, got ${xs.length}.`);
    const [a, b] = this.resolveAxes(xs[0].rank, xs[1].rank);
    if (xs[0].shape[a] !== xs[1].shape[b] || xs[0].shape[0] !== xs[1].shape[0]) {
      throw new Error(`${this.describe()}: cannot take the dot product of shapes [${xs[0].shape.join(', ')}] and [${xs[1].shape.join(', ')}] over axes ${a} and ${b}.`);
    }
    return tf.tidy(() => {
      const x = this.normalize ? l2Normalize(xs[0], a) : xs[0];
      const y = this.normalize ? l2Normalize(xs[1], b) : xs[1];
      return batchDot(x, y, [a, b]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [s1, s2] = this.twoShapes(inputShape);
    const [a, b] = this.resolveAxes(s1.length, s2.length);
    if (s1[a] != null && s2[b] != null && s1[a] !== s2[b]) {
      throw new Error(`${this.describe()}: axis ${a} of ${formatShape(s1)} and axis ${b} of ${formatShape(s2)} differ in size.`);
    }
    const out = [...s1.filter((_, i) => i !== a), ...s2.filter((_, i) => i !== b && i !== 0)];
    return out.length === 1 ? [...out, 1] : out;
  }

  override computeMask(): Tensor | null {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }
}

registerLayer(Dot);
