import * as tf from '@tensorflow/tfjs';
import { embeddingLookup } from '@recurrent/kernels';
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

  /**
   * One pass of the 'EmbeddingLookup' kernel: rows of the table, each id checked against inputDim; the
   * table's gradient is a scatter-add of dy's rows. (tf.gather's gradient goes through
   * unsortedSegmentSum, whose cpu kernel makes a pass over all ids for every row of the table.)
   */
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      // Float ids (as data often arrives) are truncated by the kernel exactly as a cast to int32 would.
      const ids = x.dtype === 'int32' || x.dtype === 'float32' ? x : x.cast('int32');
      return embeddingLookup(this.embeddings!.read(), ids, { context: this.describe() });
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

registerLayer(Embedding);
