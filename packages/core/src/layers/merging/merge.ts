import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import type { baseLayerArgsSchema } from '../../engine/schema_parts';
import { formatShape, isShapeList, type Shape, type Tensor } from '../../engine/types';

/** Base of layers that combine a list of tensors (Concatenate, Dot and the elementwise merges). */
export abstract class Merge extends Layer {
  /** Checks that the input is a list of at least two shapes, and returns it. */
  protected shapeList(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape) || inputShape.length < 2) {
      throw new Error(`${this.describe()}: expects a list of at least 2 inputs, e.g. ${this.className.toLowerCase()}.apply([a, b]).`);
    }
    return inputShape;
  }

  protected tensorList(inputs: Tensor | Tensor[]): Tensor[] {
    if (!Array.isArray(inputs) || inputs.length < 2) {
      throw new Error(`${this.describe()}: expects a list of at least 2 tensors.`);
    }
    return inputs;
  }
}

/** Elementwise broadcast of two sample shapes (without batch), Keras-style, with null for unknown sizes. */
export function broadcastShapes(a: Shape, b: Shape, where: string): Shape {
  const rank = Math.max(a.length, b.length);
  const pa = [...Array(rank - a.length).fill(1), ...a];
  const pb = [...Array(rank - b.length).fill(1), ...b];
  return pa.map((x, i) => {
    const y = pb[i];
    if (x === 1) return y;
    if (y === 1) return x;
    if (x == null || y == null) return x ?? y;
    if (x !== y) throw new Error(`${where}: cannot combine inputs of shapes ${formatShape(a)} and ${formatShape(b)}.`);
    return x;
  });
}

/** The per-input masks of a merge call: a list aligned with the inputs (missing entries are null). */
function maskList(mask: Tensor | Tensor[] | null | undefined, count: number): (Tensor | null)[] {
  const list = Array.isArray(mask) ? mask : [];
  return Array.from({ length: count }, (_, i) => list[i] ?? null);
}

/**
 * A [batch, steps] mask as a boolean tensor of x's shape (Keras: expand the last axis, broadcast), for
 * merges that let masked entries sit out.
 */
export function maskLike(mask: Tensor, x: Tensor, where: string): Tensor {
  if (mask.rank !== x.rank - 1 || mask.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`${where}: a mask of shape [${mask.shape.join(', ')}] does not fit an input of shape [${x.shape.join(', ')}] (it must be the input's shape without the last axis).`);
  }
  return tf.broadcastTo((mask.dtype === 'bool' ? mask : mask.cast('bool')).expandDims(-1), x.shape);
}

/**
 * Keras's Merge: the elementwise merges (Add, Subtract, Multiply, Average, Maximum, Minimum). Inputs of
 * lower rank get axes of size 1 inserted after the batch axis until the ranks agree, then broadcast;
 * the subclass combines them with their masks (a reshaped input loses its mask, as in Keras). The output
 * mask is the OR of the input masks when every input has one, else there is none.
 */
export abstract class ElementwiseMerge extends Merge {
  constructor(args: z.output<typeof baseLayerArgsSchema>) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines inputs of equal rank; `masks[i]` is input i's [batch, steps] mask, or null. */
  protected abstract mergeFunction(xs: Tensor[], masks: (Tensor | null)[]): Tensor;

  override build(inputShape: Shape | Shape[]): void {
    const shapes = this.shapeList(inputShape);
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d != null));
    if (batches.size > 1) throw new Error(`${this.describe()}: cannot merge inputs with different batch sizes: ${shapes.map(formatShape).join(' and ')}.`);
    this.computeOutputShape(inputShape);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const xs = this.tensorList(inputs);
    const masks = maskList(kwargs.mask, xs.length);
    const rank = Math.max(...xs.map((x) => x.rank));
    return tf.tidy(() => {
      const aligned = xs.map((x) => (x.rank === rank ? x : x.reshape([x.shape[0] as number, ...Array(rank - x.rank).fill(1), ...x.shape.slice(1)])));
      return this.mergeFunction(aligned, masks.map((m, i) => (xs[i].rank === rank ? m : null)));
    });
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

/**
 * Keras's merge for operations without an identity element (Maximum, Minimum): where an input is
 * masked, the running result stands in for it, and where the running result is masked, the input
 * does; the masks are ORed as long as every input so far had one.
 */
export function mergeSkippingMasked(xs: Tensor[], masks: (Tensor | null)[], op: (a: Tensor, b: Tensor) => Tensor, where: string): Tensor {
  let output = xs[0];
  let outputMask = masks[0] ? maskLike(masks[0], xs[0], where) : null;
  for (let i = 1; i < xs.length; i++) {
    let x = xs[i];
    const m = masks[i] ? maskLike(masks[i] as Tensor, x, where) : null;
    if (m) x = tf.where(m, x, output);
    if (outputMask) output = tf.where(outputMask, output, x);
    outputMask = m && outputMask ? tf.logicalOr(outputMask, m) : null;
    output = op(output, x);
  }
  return output;
}
