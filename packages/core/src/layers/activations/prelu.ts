import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getConstraint } from '../../constraints';
import type { Constraint } from '../../constraints/constraint';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, constraintSchema, initializerSchema, parseLayerArgs, positiveInt, regularizerSchema } from '../../engine/schema_parts';
import { serializeOptional } from '../../engine/serialization';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import type { Initializer } from '../../initializers/initializer';
import { getInitializer } from '../../initializers/lookup';
import { getRegularizer } from '../../regularizers';
import type { Regularizer } from '../../regularizers/regularizer';

export const preluArgsSchema = baseLayerArgsSchema.extend({
  alphaInitializer: initializerSchema.optional(),
  alphaRegularizer: regularizerSchema.optional(),
  alphaConstraint: constraintSchema.optional(),
  /** Axes (1-based, not the batch) along which one slope is shared, e.g. [1] for one slope per feature over time. */
  sharedAxes: z.union([positiveInt(), z.array(positiveInt())], {
    error: (iss) => `expected a positive integer or a list of them, got ${JSON.stringify(iss.input)}`,
  }).nullish(),
}).strict();

export type PReLUArgs = z.input<typeof preluArgsSchema>;

/**
 * Leaky relu with learned slopes (Keras PReLU): relu(x) - alpha * relu(-x), with a weight `alpha` of the
 * input's shape without the batch, of size 1 along `sharedAxes`.
 */
export class PReLU extends Layer {
  static override className = 'PReLU';
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha: LayerVariable | null = null;

  constructor(args: PReLUArgs = {}) {
    const a = parseLayerArgs('PReLU', preluArgsSchema, args);
    super(a);
    this.alphaInitializer = getInitializer(a.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = a.alphaRegularizer ? getRegularizer(a.alphaRegularizer) : null;
    this.alphaConstraint = a.alphaConstraint ? getConstraint(a.alphaConstraint) : null;
    this.sharedAxes = a.sharedAxes == null ? null : Array.isArray(a.sharedAxes) ? [...a.sharedAxes] : [a.sharedAxes];
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const shared = new Set(this.sharedAxes ?? []);
    for (const axis of shared) {
      if (axis >= shape.length) throw new Error(`${this.describe()}: sharedAxes [${[...shared].join(', ')}] reach past the input ${formatShape(shape)}.`);
    }
    const alphaShape = shape.slice(1).map((d, i) => (shared.has(i + 1) ? 1 : d));
    if (alphaShape.some((d) => d == null)) {
      throw new Error(`${this.describe()}: every axis of ${formatShape(shape)} not in sharedAxes needs a known size; share the unknown ones (e.g. sharedAxes: [1] for the time axis).`);
    }
    this.alpha = this.addWeight('alpha', alphaShape as number[], {
      initializer: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint,
    });
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const alpha = this.alpha!.read();
    return tf.tidy(() => tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x)))));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: this.alphaInitializer.serialize(),
      alphaRegularizer: serializeOptional(this.alphaRegularizer),
      alphaConstraint: serializeOptional(this.alphaConstraint),
      sharedAxes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }
}

registerLayer(PReLU);
