import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getActivation, serializeActivation, type ActivationFn, type ActivationIdentifier } from '../../activations/activations';
import { getConstraint, type ConstraintIdentifier } from '../../constraints';
import type { Constraint } from '../../constraints/constraint';
import type { LayerArgs } from '../../engine/layer';
import {
  activationSchema, baseLayerArgsSchema, constraintSchema, initializerSchema, positiveInt, regularizerSchema, seedSchema,
} from '../../engine/schema_parts';
import { serializeOptional } from '../../engine/serialization';
import { formatShape, isShapeList, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import type { Initializer } from '../../initializers/initializer';
import { getInitializer, type InitializerIdentifier } from '../../initializers/lookup';
import { getRegularizer, type RegularizerIdentifier } from '../../regularizers';
import type { Regularizer } from '../../regularizers/regularizer';
import type { CellKind } from '@recurrent/kernels';
import { RNNCell, type CellStepOptions, type SequenceContext } from './rnn_cell';
import { createDropoutMask, dropoutActive, DropoutSeedStream, type CellDropoutMasks } from './dropout_masks';

/** A dropout fraction. Keras accepts [0, 1] and applies dropout only strictly between 0 and 1. */
const dropoutRate = () =>
  z.number({ error: (iss) => `expected a number in [0, 1], got ${JSON.stringify(iss.input)}` })
    .refine((v) => v >= 0 && v <= 1, { error: (iss) => `expected a number in [0, 1], got ${JSON.stringify(iss.input)}` });

/**
 * Arguments shared by SimpleRNNCell, LSTMCell and GRUCell (and so by their layers). Of the base layer's
 * arguments a cell takes its name, trainable flag and dtype; input shapes and the activity regularizer
 * belong to the layer that runs it.
 */
export const cellCommonArgsSchema = baseLayerArgsSchema.pick({ name: true, trainable: true, dtype: true }).extend({
  units: positiveInt(),
  activation: activationSchema.optional(),
  useBias: z.boolean().optional(),
  kernelInitializer: initializerSchema.optional(),
  recurrentInitializer: initializerSchema.optional(),
  biasInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.optional(),
  recurrentRegularizer: regularizerSchema.optional(),
  biasRegularizer: regularizerSchema.optional(),
  kernelConstraint: constraintSchema.optional(),
  recurrentConstraint: constraintSchema.optional(),
  biasConstraint: constraintSchema.optional(),
  dropout: dropoutRate().optional(),
  recurrentDropout: dropoutRate().optional(),
  seed: seedSchema().optional(),
});

/** LSTM and GRU: a gate activation, and Keras's `implementation` (1 or 2; accepted, same math). */
export const gatedCellArgsSchema = cellCommonArgsSchema.extend({
  recurrentActivation: activationSchema.optional(),
  implementation: z.union([z.literal(1), z.literal(2)], { error: 'expected 1 or 2' }).optional(),
});

/** Constructor arguments shared by the built-in cells (already validated by their schemas). */
export interface BuiltinCellArgs extends Pick<LayerArgs, 'name' | 'trainable' | 'dtype'> {
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  dropout?: number;
  recurrentDropout?: number;
  seed?: number | null;
}

/** The current weight values of a built-in cell. */
export interface CellWeights {
  kernel: Tensor;
  recurrentKernel: Tensor;
  bias: Tensor | null;
}

/**
 * The weights cut into their G gate blocks (kernel [F, U] and recurrent kernel [U, U] per gate,
 * biases [U] per gate). Cutting columns out of a matrix is slow in tfjs (a strided copy), so the
 * step loop cuts the weights once per sequence instead of cutting every step's pre-activations.
 */
export interface GateBlocks {
  kernel: Tensor[];
  recurrentKernel: Tensor[];
  /** Input-side bias per gate (the only bias, except for GRU with resetAfter). */
  inputBias: Tensor[] | null;
  /** Recurrent-side bias per gate (GRU with resetAfter only). */
  recurrentBias: Tensor[] | null;
}

/**
 * Base of SimpleRNNCell, LSTMCell and GRUCell: the weights (kernel [F, G*U], recurrent kernel
 * [U, G*U], bias), and dropout masks fixed for a whole sequence (Keras's DropoutRNNCell).
 */
export abstract class BuiltinCell extends RNNCell {
  /** Which fused kernel computes this cell. */
  abstract readonly kind: CellKind;
  /** Number of gate blocks G in the kernels. */
  protected abstract readonly gates: number;
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  private readonly seeds: DropoutSeedStream;
  /** Masks of the sequence being processed (set between beginSequence and endSequence). */
  private sequenceMasks: CellDropoutMasks | null = null;
  /** Gate blocks of the weights for the sequence being processed step by step. */
  private sequenceBlocks: GateBlocks | null = null;

  constructor(a: BuiltinCellArgs) {
    super(a);
    if (this.dtype !== 'float32') {
      throw new Error(`${this.describe()}: dtype ${this.dtype} is not supported; recurrent cells compute in float32.`);
    }
    this.units = a.units;
    this.activation = getActivation(a.activation === undefined ? 'tanh' : a.activation);
    this.useBias = a.useBias ?? true;
    this.kernelInitializer = getInitializer(a.kernelInitializer ?? 'glorotUniform');
    this.recurrentInitializer = getInitializer(a.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(a.biasInitializer ?? 'zeros');
    this.kernelRegularizer = a.kernelRegularizer ? getRegularizer(a.kernelRegularizer) : null;
    this.recurrentRegularizer = a.recurrentRegularizer ? getRegularizer(a.recurrentRegularizer) : null;
    this.biasRegularizer = a.biasRegularizer ? getRegularizer(a.biasRegularizer) : null;
    this.kernelConstraint = a.kernelConstraint ? getConstraint(a.kernelConstraint) : null;
    this.recurrentConstraint = a.recurrentConstraint ? getConstraint(a.recurrentConstraint) : null;
    this.biasConstraint = a.biasConstraint ? getConstraint(a.biasConstraint) : null;
    this.dropout = a.dropout ?? 0;
    this.recurrentDropout = a.recurrentDropout ?? 0;
    this.seed = a.seed ?? null;
    this.seeds = new DropoutSeedStream(this.seed);
  }

  /** One size per state: [units] ([units, units] for LSTM). */
  abstract override get stateSize(): number[];

  override get outputSize(): number {
    return this.units;
  }

  /** Bias shape: [G*U] by default (GRU with resetAfter: [2, 3U]). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** Initializer of the bias (LSTM's unitForgetBias overrides it). */
  protected biasInitializerForBuild(): Initializer {
    return this.biasInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const inputDim = shape[shape.length - 1];
    if (shape.length !== 2 || inputDim == null) {
      throw new Error(
        `${this.describe()}: a cell is built for one step's input [batch, features] with known features, got ${formatShape(shape)}.`,
      );
    }
    const width = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [inputDim, width], {
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], {
      initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', this.biasShape(), {
        initializer: this.biasInitializerForBuild(), regularizer: this.biasRegularizer, constraint: this.biasConstraint,
      });
    }
  }

  /** Current weight values (the variables themselves; do not dispose). */
  readWeights(): CellWeights {
    if (!this.kernel || !this.recurrentKernel) {
      throw new Error(`${this.describe()}: is not built yet; call it (or its RNN layer) on an input first.`);
    }
    return { kernel: this.kernel.read(), recurrentKernel: this.recurrentKernel.read(), bias: this.bias ? this.bias.read() : null };
  }

  /** The weights cut per gate (differentiable slices of the variables). */
  private cutGateBlocks(): GateBlocks {
    const w = this.readWeights();
    const g = this.gates;
    const cut = (t: Tensor, axis: number): Tensor[] => (g === 1 ? [t] : tf.split(t, g, axis));
    let inputBias: Tensor[] | null = null;
    let recurrentBias: Tensor[] | null = null;
    if (w.bias && w.bias.rank === 2) {
      const [inputRow, recurrentRow] = tf.unstack(w.bias, 0);
      inputBias = cut(inputRow, 0);
      recurrentBias = cut(recurrentRow, 0);
    } else if (w.bias) {
      inputBias = cut(w.bias, 0);
    }
    return { kernel: cut(w.kernel, 1), recurrentKernel: cut(w.recurrentKernel, 1), inputBias, recurrentBias };
  }

  // ---- dropout ------------------------------------------------------------------------------------------

  /**
   * Fixes the dropout masks for one sequence (Keras draws them once per layer call and reuses them at
   * every timestep). The input mask is drawn before the recurrent one, so the fused kernel and the
   * step loop see the same masks. One mask per kind is shared by all gates, as in Keras's default
   * implementation 2 and the fused kernel's contract (Keras switches to one mask per gate when
   * recurrent_dropout is set; the expected effect is the same, the random draws are not).
   */
  override beginSequence(context: SequenceContext): void {
    this.sequenceMasks = this.drawMasks(context.batchSize, context.inputDim, context.training);
    this.sequenceBlocks = context.stepByStep ? this.cutGateBlocks() : null;
  }

  override endSequence(): void {
    this.sequenceMasks = null;
    this.sequenceBlocks = null;
  }

  /** The masks of the current sequence (null entries where dropout is off). */
  get currentDropoutMasks(): CellDropoutMasks {
    return this.sequenceMasks ?? { input: null, recurrent: null };
  }

  private drawMasks(batchSize: number, inputDim: number, training: boolean): CellDropoutMasks {
    return {
      input: dropoutActive(this.dropout, training) ? createDropoutMask(batchSize, inputDim, this.dropout, this.seeds.next()) : null,
      recurrent: dropoutActive(this.recurrentDropout, training)
        ? createDropoutMask(batchSize, this.units, this.recurrentDropout, this.seeds.next())
        : null,
    };
  }

  // ---- calling ------------------------------------------------------------------------------------------

  /** One step, with the step input's and the states' shapes checked (the number of states is checked by `call`). */
  step(input: Tensor, states: Tensor[], options: CellStepOptions): [Tensor, Tensor[]] {
    const training = options.training === true;
    const sizes = this.stateSize;
    const features = this.readWeights().kernel.shape[0];
    if (input.rank !== 2 || input.shape[1] !== features) {
      throw new Error(`${this.describe()}: a step input must be [batch, ${features}], got [${input.shape.join(', ')}].`);
    }
    states.forEach((s, i) => {
      if (s.rank !== 2 || s.shape[0] !== input.shape[0] || s.shape[1] !== sizes[i]) {
        throw new Error(`${this.describe()}: state ${i} must be [${input.shape[0]}, ${sizes[i]}], got [${s.shape.join(', ')}].`);
      }
    });
    // Outside a sequence (a cell used on its own) the masks are drawn for this call only.
    const masks = this.sequenceMasks ?? this.drawMasks(input.shape[0], features, training);
    const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
    const inputMask = training ? masks.input : null;
    const recurrentMask = training ? masks.recurrent : null;
    return this.stepMath(
      inputMask ? tf.mul(x, inputMask) : x,
      states,
      recurrentMask ? tf.mul(states[0], recurrentMask) : states[0],
      this.sequenceBlocks ?? this.cutGateBlocks(),
    );
  }

  /**
   * One step of the cell's equations (the kernel spec's, in tf ops, differentiable). `input` is
   * already multiplied by its dropout mask and `hDropped` is h_prev times the recurrent dropout
   * mask: it feeds the recurrent matrix products, while carries (c_prev, z*h_prev) use the states.
   */
  protected abstract stepMath(input: Tensor, states: Tensor[], hDropped: Tensor, blocks: GateBlocks): [Tensor, Tensor[]];

  /** Keras's cell config keys (camelCase), shared by the three cells. */
  protected commonConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      recurrentInitializer: this.recurrentInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: serializeOptional(this.kernelRegularizer),
      recurrentRegularizer: serializeOptional(this.recurrentRegularizer),
      biasRegularizer: serializeOptional(this.biasRegularizer),
      kernelConstraint: serializeOptional(this.kernelConstraint),
      recurrentConstraint: serializeOptional(this.recurrentConstraint),
      biasConstraint: serializeOptional(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

/** x·W (+ b): one gate's affine map. */
export function affine(x: Tensor, w: Tensor, b: Tensor | null | undefined): Tensor {
  const y = tf.matMul(x, w);
  return b ? tf.add(y, b) : y;
}

/** Constructor arguments of LSTMCell and GRUCell (already validated by their schemas). */
export interface GatedCellArgs extends BuiltinCellArgs {
  recurrentActivation?: ActivationIdentifier;
  implementation?: 1 | 2;
}

/** Base of LSTMCell and GRUCell: a gate (recurrent) activation, and Keras's implementation mode. */
export abstract class GatedCell extends BuiltinCell {
  readonly recurrentActivation: ActivationFn;
  /** Keras's implementation mode (1 or 2); both compute the same function here. */
  readonly implementation: number;

  constructor(a: GatedCellArgs) {
    super(a);
    this.recurrentActivation = getActivation(a.recurrentActivation === undefined ? 'sigmoid' : a.recurrentActivation);
    this.implementation = a.implementation ?? 2;
  }

  protected override commonConfig(): Record<string, unknown> {
    return { ...super.commonConfig(), recurrentActivation: serializeActivation(this.recurrentActivation) };
  }
}
