import { Layer } from '../../engine/layer';
import { formatShape, isShapeList, type Shape, type Tensor } from '../../engine/types';

/** Base of layers that combine a list of tensors (Add, Concatenate). */
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
