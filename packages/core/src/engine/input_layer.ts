import { z } from 'zod';
import type * as tf from '@tensorflow/tfjs';
import { Layer, type CallKwargs } from './layer';
import { inputDtypeSchema, parseLayerArgs, positiveInt, shapeSchema } from './schema_parts';
import { registerLayer } from './registry';
import { Node, SymbolicTensor } from './symbolic';
import type { Shape, TensorDType } from './types';

export const inputLayerArgsSchema = z.object({
  /** Shape without the batch dimension. */
  shape: shapeSchema.nullish(),
  /** Shape with the batch dimension (Keras 3 `batch_shape`). */
  batchShape: shapeSchema.nullish(),
  /** Keras 2 / tfjs spelling of batchShape. */
  batchInputShape: shapeSchema.nullish(),
  /** Keras 2 / tfjs spelling of shape. */
  inputShape: shapeSchema.nullish(),
  batchSize: positiveInt().nullish(),
  name: z.string().min(1).optional(),
  /** 'string' for raw text fed to TextVectorization or StringLookup. */
  dtype: inputDtypeSchema.nullish(),
  sparse: z.boolean().nullish(),
  ragged: z.boolean().nullish(),
  /** Keras 3.10+: an input that may be None. */
  optional: z.boolean().nullish(),
  trainable: z.boolean().optional(),
}).strict();

export type InputLayerArgs = z.input<typeof inputLayerArgsSchema>;

/**
 * The entry point of a graph: holds no weights and produces one symbolic tensor when constructed
 * (its node 0). `input()` creates one and returns that tensor.
 */
export class InputLayer extends Layer {
  static override className = 'InputLayer';
  declare readonly batchInputShape: Shape;

  constructor(args: InputLayerArgs) {
    const a = parseLayerArgs('InputLayer', inputLayerArgsSchema, args);
    if (a.sparse) throw new Error('InputLayer: sparse inputs are not supported; use dense tensors.');
    if (a.ragged) throw new Error('InputLayer: ragged inputs are not supported; pad the sequences (padSequences) and mask them.');
    if (a.optional) throw new Error('InputLayer: optional inputs are not supported; give every input.');
    const given = [a.shape, a.batchShape, a.batchInputShape, a.inputShape].filter((s) => s != null).length;
    if (given === 0) throw new Error('InputLayer: give the input shape, e.g. input({ shape: [timesteps, features] }) (batch dimension excluded).');
    if (given > 1) throw new Error('InputLayer: give only one of shape and batchShape (batchInputShape/inputShape are their Keras 2 spellings).');
    const batchShape = a.batchShape ?? a.batchInputShape ?? [a.batchSize ?? null, ...(a.shape ?? a.inputShape ?? [])];
    super({ name: a.name, dtype: a.dtype ?? 'float32', batchInputShape: batchShape, trainable: a.trainable });
    this.built = true;
    const output = new SymbolicTensor(this.dtype, [...batchShape], this, 0, 0, this.name);
    this.inboundNodes.push(new Node(this, [], [output], {}, false, false));
  }

  call(): tf.Tensor {
    throw new Error(`${this.describe()}: an input layer is not called; feed data to the model instead.`);
  }

  override apply(): never {
    throw new Error(`${this.describe()}: an input layer cannot be called on tensors; use the tensor returned by input() as the input of other layers.`);
  }

  /** The symbolic tensor this input layer produces. */
  get outputTensor(): SymbolicTensor {
    return this.inboundNodes[0].outputTensors[0];
  }

  override getConfig(): Record<string, unknown> {
    return { batchShape: [...this.batchInputShape], dtype: this.dtype, sparse: false, name: this.name };
  }
}

export interface InputArgs {
  shape?: Shape;
  batchShape?: Shape;
  batchSize?: number;
  name?: string;
  dtype?: TensorDType;
  sparse?: boolean;
}

/** A symbolic input of a model: `input({ shape: [null, 8] })` is a batch of sequences of any length with 8 features. */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).outputTensor;
}

// Keep the Layer type referenced for declaration emit of `apply`'s override.
export type { CallKwargs };
registerLayer(InputLayer);
