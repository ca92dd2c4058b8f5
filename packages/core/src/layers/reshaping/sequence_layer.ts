import { Layer } from '../../engine/layer';
import { formatShape, type Shape } from '../../engine/types';

/** Base of the layers that reshape the time axis of a [batch, steps, features] sequence. */
export abstract class SequenceLayer extends Layer {
  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new Error(`${this.describe()}: expects 3-D inputs [batch, steps, features], got ${formatShape(shape)}.`);
  }
}
