import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { deserializeLayer, registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, isShapeList, type Shape, type Tensor, type TensorDType } from '../../engine/types';

/** A layer instance, or its serialized form `{className, config}` (from a config). */
export const wrappedLayerSchema = z.custom<Layer | { className: string; config: Record<string, unknown> }>(
  (v) => v instanceof Layer || (typeof v === 'object' && v !== null && typeof (v as { className?: unknown }).className === 'string'),
  { error: 'expected a layer (e.g. new Dense({units: 1})) or {className, config}' },
);

export const timeDistributedArgsSchema = baseLayerArgsSchema.extend({
  layer: wrappedLayerSchema,
}).strict();

export type TimeDistributedArgs = z.input<typeof timeDistributedArgsSchema>;

/**
 * Applies `layer` to every timestep of [batch, time, ...]: the steps are folded into the batch,
 * [batch*time, ...], so the inner layer runs once on all of them. The input mask passes through.
 */
export class TimeDistributed extends Layer {
  static override className = 'TimeDistributed';
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    const a = parseLayerArgs('TimeDistributed', timeDistributedArgsSchema, args);
    if (a.layer === undefined) throw new Error('TimeDistributed: layer: required, e.g. { layer: new Dense({ units: 1 }) }.');
    super(a);
    this.layer = a.layer instanceof Layer ? a.layer : deserializeLayer(a.layer);
    this.trackLayer(this.layer);
    this.layer.setWeightScope(this.weightScope);
    this.supportsMasking = true;
  }

  /**
   * The wrapped layer's weights carry this layer's name, `time_distributed/kernel`, as in TensorFlow.js and
   * Keras 2 (whose files are named so); a wrapped model keeps its own layers' names, as there.
   */
  override setWeightScope(scope: string): void {
    if (this.built) return;
    super.setWeightScope(scope);
    this.layer.setWeightScope(scope);
  }

  /** [batch, time, ...rest] -> [batch (unknown), ...rest], the inner layer's input shape. */
  private innerShape(inputShape: Shape | Shape[]): Shape {
    if (isShapeList(inputShape)) throw new Error(`${this.describe()}: expects one input, got ${inputShape.length}.`);
    if (inputShape.length < 3) {
      throw new Error(`${this.describe()}: expects inputs of rank >= 3 ([batch, time, ...]), got ${formatShape(inputShape)}.`);
    }
    const [batch, time, ...rest] = inputShape;
    return [batch != null && time != null ? batch * time : null, ...rest];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.maybeBuild(this.innerShape(inputShape));
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [batch, time, ...rest] = x.shape;
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    return tf.tidy(() => {
      const folded = x.reshape([batch * time, ...rest]);
      // A per-step mask beyond [batch, time] (e.g. [batch, time, inner]) is meaningful to the inner layer.
      const innerMask = mask && mask.rank > 2 ? mask.reshape([batch * time, ...mask.shape.slice(2)]) : null;
      const y = this.layer.apply(folded, { training: kwargs.training, mask: innerMask });
      if (Array.isArray(y)) throw new Error(`${this.describe()}: the wrapped layer must return one tensor.`);
      return y.reshape([batch, time, ...y.shape.slice(1)]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const inner = this.layer.computeOutputShape(this.innerShape(inputShape));
    if (isShapeList(inner)) throw new Error(`${this.describe()}: the wrapped layer must return one tensor.`);
    const shape = inputShape as Shape;
    return [shape[0], shape[1], ...inner.slice(1)];
  }

  override computeOutputDType(inputDTypes: TensorDType[]): TensorDType {
    return this.layer.computeOutputDType(inputDTypes);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { className: this.layer.className, config: this.layer.getConfig() } };
  }
}

registerLayer(TimeDistributed);
