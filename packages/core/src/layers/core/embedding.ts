import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getConstraint } from '../../constraints';
import type { Constraint } from '../../constraints/constraint';
import type { Initializer } from '../../initializers/initializer';
import type { Regularizer } from '../../regularizers/regularizer';
import { getInitializer } from '../../initializers/lookup';
import { getRegularizer } from '../../regularizers';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import {
  baseLayerArgsSchema, constraintSchema, initializerSchema, parseLayerArgs, positiveInt, regularizerSchema,
} from '../../engine/schema_parts';
import { serializeOptional } from '../../engine/serialization';
import type { LayerDType, Shape, Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';

/**
 * tf.gather with a scatter-add gradient for the table. tf.gather's own gradient is
 * unsortedSegmentSum, whose CPU kernel loops over every row of the table (about a minute per step
 * for a 5,000-word vocabulary); scatterND sums the rows of dy at their indices in one pass.
 */
const gatherRows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const table = args[0] as tf.Tensor;
  const indices = args[1] as tf.Tensor;
  const save = args[2] as tf.GradSaveFunc;
  save([indices]);
  return {
    value: tf.gather(table, indices),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.scatterND(saved[0].expandDims(1), dy, table.shape),
      tf.zerosLike(saved[0]),
    ],
  };
}) as (table: tf.Tensor, indices: tf.Tensor) => tf.Tensor;

export const embeddingArgsSchema = baseLayerArgsSchema.extend({
  inputDim: positiveInt(),
  outputDim: positiveInt(),
  embeddingsInitializer: initializerSchema.optional(),
  embeddingsRegularizer: regularizerSchema.optional(),
  embeddingsConstraint: constraintSchema.optional(),
  /** Index 0 is padding: the layer emits mask = (input != 0), and inputDim must count index 0. */
  maskZero: z.boolean().optional(),
  /** Length of the input sequences (Keras 2); sets the input shape [null, inputLength] when none is given. */
  inputLength: positiveInt().nullish(),
}).strict();

export type EmbeddingArgs = z.input<typeof embeddingArgsSchema>;

/** Maps integer indices in [0, inputDim) to learned vectors of size outputDim. */
export class Embedding extends Layer {
  static override className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number | null;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  embeddings: LayerVariable | null = null;

  constructor(args: EmbeddingArgs) {
    const a = parseLayerArgs('Embedding', embeddingArgsSchema, args);
    const withShape = a.inputLength != null && a.inputShape == null && a.batchInputShape == null
      ? { ...a, inputShape: [a.inputLength] } : a;
    super(withShape);
    this.inputDim = a.inputDim;
    this.outputDim = a.outputDim;
    this.maskZero = a.maskZero ?? false;
    this.inputLength = a.inputLength ?? null;
    this.embeddingsInitializer = getInitializer(a.embeddingsInitializer ?? 'randomUniform');
    this.embeddingsRegularizer = a.embeddingsRegularizer ? getRegularizer(a.embeddingsRegularizer) : null;
    this.embeddingsConstraint = a.embeddingsConstraint ? getConstraint(a.embeddingsConstraint) : null;
    // Only the mask it creates matters; an incoming mask is replaced.
    this.supportsMasking = this.maskZero;
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], {
      initializer: this.embeddingsInitializer, regularizer: this.embeddingsRegularizer, constraint: this.embeddingsConstraint,
      dtype: 'float32',
    });
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const indices = x.dtype === 'int32' ? x : x.cast('int32');
      const flat = indices.flatten();
      const { min, max } = rangeOf(flat);
      if (min < 0 || max >= this.inputDim) {
        throw new Error(`${this.describe()}: indices must lie in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim}), got values from ${min} to ${max}; raise inputDim or clip the indices.`);
      }
      return gatherRows(this.embeddings!.read(), flat).reshape([...x.shape, this.outputDim]);
    });
  }

  override computeMask(inputs: Tensor | Tensor[]): Tensor | null {
    if (!this.maskZero) return null;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.notEqual(x, 0);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...(inputShape as Shape)];
    if (this.inputLength != null && shape.length >= 2 && shape[1] == null) shape[1] = this.inputLength;
    return [...shape, this.outputDim];
  }

  override computeOutputDType(): LayerDType {
    return 'float32';
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: this.embeddingsInitializer.serialize(),
      embeddingsRegularizer: serializeOptional(this.embeddingsRegularizer),
      embeddingsConstraint: serializeOptional(this.embeddingsConstraint),
      maskZero: this.maskZero,
    };
    if (this.inputLength != null) config.inputLength = this.inputLength;
    return config;
  }
}

function rangeOf(t: Tensor): { min: number; max: number } {
  if (t.size === 0) return { min: 0, max: 0 };
  const data = t.dataSync();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < min) min = data[i];
    if (data[i] > max) max = data[i];
  }
  return { min, max };
}

registerLayer(Embedding);
