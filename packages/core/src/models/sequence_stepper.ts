/**
 * A Sequential model run one timestep at a time for one sequence (batch 1), carrying the recurrent
 * layers' states between calls: what a generator does after each sampled token. It computes what a
 * stateful copy of the model's `predict` would, fed one step per call, but each recurrent layer runs
 * its fused kernel's one-step entry on plain arrays (`stepArrays`: the new state written over the
 * old, nothing allocated), without tfjs's dispatch of an op and of the model around it, which costs
 * more than an LSTM(256) step's arithmetic. A Dense layer with a linear or softmax activation runs its
 * product on plain arrays too (`denseArrays`, `softmaxRows`: the bits of its `apply`) while the native
 * kernels run its product, and an Embedding copies its table's rows; the other layers (Dropout,
 * Activation) run through their own `apply` on the step's tensor.
 *
 * Weights are read at every step, so training between steps is seen; the states live here, apart
 * from the layers' own (a stateful layer's states are neither read nor changed).
 */
import * as tf from '@tensorflow/tfjs';
import { denseArrays, denseMatMulRunsNative, freshCopy, softmaxRows } from '@recurrent/kernels';
import { BUILT_IN_ACTIVATIONS, type ActivationFn } from '../activations/activations';
import type { Layer } from '../engine/layer';
import type { Tensor } from '../engine/types';
import { InputLayer } from '../engine/input_layer';
import { Activation } from '../layers/core/activation';
import { Dense } from '../layers/core/dense';
import { Dropout } from '../layers/core/dropout';
import { Embedding } from '../layers/core/embedding';
import type { BuiltinCell } from '../layers/rnn/builtin_cell';
import { fusedCellAttributes, fusedCellUnsupportedReason, type FusedCellAttributes } from '../layers/rnn/fused_sequence';
import { LSTMCell } from '../layers/rnn/lstm_cell';
import { RNN } from '../layers/rnn/rnn';
import { stepCellInPlace } from '../layers/rnn/stateful_step';
import type { Sequential } from './sequential';

/** A step value: the data of a [1, ...shape] tensor (batch 1 first). */
interface StepValue {
  data: Float32Array | Int32Array;
  shape: number[];
  /** The array is a recurrent layer's carried state (overwritten by its next step). */
  carried?: boolean;
}

/** One recurrent layer and its carried state. */
class RecurrentStage {
  /** The state, which each step overwrites with the new one (also the layer's output for the step). */
  private readonly h: Float32Array;
  private readonly c: Float32Array | null;

  constructor(
    readonly layer: RNN,
    private readonly cell: BuiltinCell,
    private readonly attrs: FusedCellAttributes,
  ) {
    this.h = new Float32Array(cell.units);
    this.c = cell instanceof LSTMCell ? new Float32Array(cell.units) : null;
  }

  reset(): void {
    this.h.fill(0);
    this.c?.fill(0);
  }

  run(x: StepValue): StepValue {
    const w = this.cell.readWeights();
    const features = w.kernel.shape[0] as number;
    if (x.data.length !== features) {
      throw new Error(`${this.layer.describe()}: a step takes ${features} features, got ${x.data.length} (shape [${x.shape.join(', ')}]).`);
    }
    const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    stepCellInPlace(this.cell, this.attrs, w, 1, features, data, this.h, this.c);
    // The layer's output for one step: [1, 1, units] with returnSequences, else [1, units]. It is the
    // state itself, which the next step overwrites: `carried` tells step() to copy it out.
    return { data: this.h, shape: this.layer.returnSequences ? [1, 1, this.cell.units] : [1, this.cell.units], carried: true };
  }
}

/** A non-recurrent layer, applied to the step's tensor. */
class LayerStage {
  constructor(readonly layer: Layer) {}

  run(x: StepValue): StepValue {
    let out: StepValue | null = null;
    // The tidy returns nothing: tfjs walks a returned object to find tensors, a typed array element by element.
    tf.tidy(() => {
      const input = tf.tensor(x.data, x.shape, x.data instanceof Int32Array ? 'int32' : 'float32');
      const y = this.layer.apply(input, { training: false }) as Tensor;
      if (Array.isArray(y)) throw new Error(`${this.layer.describe()}: returns several tensors; the stepper supports layers with one output.`);
      const data = y.dtype === 'int32' ? (y.dataSync() as Int32Array) : (y.dataSync() as Float32Array);
      // A copy: the tensor's own array goes when the tidy disposes it.
      out = { data: data.slice(), shape: [...y.shape] };
    });
    return out as unknown as StepValue;
  }
}

/**
 * A Dense layer whose activation is linear or softmax: x · kernel + bias and the softmax on the step's
 * arrays, which is what its `apply` computes when the native kernels run the product (the addon's
 * product, the bias added to each row, the softmax kernel's rows), without tfjs's dispatch of the
 * layer and its two ops (about 20 us a step, more than an LSTM(256) step). Otherwise (the TypeScript
 * kernels, another backend, an int32 input) it is applied as a layer.
 */
class DenseStage extends LayerStage {
  constructor(
    private readonly dense: Dense,
    private readonly softmax: boolean,
  ) {
    super(dense);
  }

  override run(x: StepValue): StepValue {
    const kernel = this.dense.kernel?.read();
    const [inputDim, units] = kernel ? (kernel.shape as [number, number]) : [0, 0];
    // Anything else (an unbuilt layer, a width that does not fit) goes to apply, which says what is wrong.
    // (Not `instanceof Float32Array`: the addon's arrays may come from another realm, as under Jest.)
    if (!kernel || x.data instanceof Int32Array || x.shape[x.shape.length - 1] !== inputDim || !denseMatMulRunsNative()) return super.run(x);
    const bias = this.dense.bias ? (this.dense.bias.read().dataSync() as Float32Array) : null;
    const rows = x.data.length / inputDim;
    const data = denseArrays({ x: x.data as Float32Array, kernel: kernel.dataSync() as Float32Array, bias, rows, inputDim, units });
    if (this.softmax) softmaxRows(data, units);
    return { data, shape: [...x.shape.slice(0, -1), units] };
  }
}

/**
 * An Embedding layer: the table's rows copied into the step's array (what its lookup kernel does),
 * without tfjs's dispatch. Ids must be whole numbers in [0, inputDim) (int32, or float32 as a model
 * whose input dtype is float32 passes them); anything else goes to its `apply`, which says what is
 * wrong or truncates fractions.
 */
class EmbeddingStage extends LayerStage {
  constructor(private readonly embedding: Embedding) {
    super(embedding);
  }

  override run(x: StepValue): StepValue {
    const { inputDim, outputDim } = this.embedding;
    const ids = x.data;
    if (!this.embedding.embeddings || !ids.every((id) => Number.isInteger(id) && id >= 0 && id < inputDim)) return super.run(x);
    const table = this.embedding.embeddings.read().dataSync() as Float32Array;
    const data = new Float32Array(ids.length * outputDim);
    ids.forEach((id, i) => data.set(table.subarray(id * outputDim, (id + 1) * outputDim), i * outputDim));
    return { data, shape: [...x.shape, outputDim] };
  }
}

/** Whether a Dense layer's activation is the built-in linear or softmax function (not a custom one named so). */
function denseArrayActivation(activation: ActivationFn): 'linear' | 'softmax' | null {
  if (activation.apply === BUILT_IN_ACTIVATIONS.linear) return 'linear';
  if (activation.apply === BUILT_IN_ACTIVATIONS.softmax) return 'softmax';
  return null;
}

/** The stage of a non-recurrent layer. */
function layerStage(layer: Layer): LayerStage {
  if (layer instanceof Embedding) return new EmbeddingStage(layer);
  const activation = layer instanceof Dense ? denseArrayActivation(layer.options.activation) : null;
  return activation === null ? new LayerStage(layer) : new DenseStage(layer as Dense, activation === 'softmax');
}

/**
 * Why a layer cannot be stepped, or null. Besides the recurrent layers, only layers that treat every
 * timestep on its own are allowed: a layer that looks across time (a convolution, pooling, attention,
 * Bidirectional, Flatten) would see one step where the model gives it the whole sequence.
 */
function unsupportedReason(layer: Layer): string | null {
  if (layer instanceof Embedding) return layer.maskZero ? 'maskZero masks steps, and the stepper carries no masks' : null;
  if (layer instanceof Dense || layer instanceof Dropout || layer instanceof Activation) return null;
  if (!(layer instanceof RNN)) {
    return 'only SimpleRNN, LSTM, GRU (and RNN with their cells), Embedding, Dense, Dropout and Activation layers can run one timestep at a time';
  }
  if (layer.goBackwards) return 'goBackwards reads the sequence from its end, which a step-by-step run does not have';
  return fusedCellUnsupportedReason(layer.cell);
}

export class SequenceStepper {
  private readonly stages: (RecurrentStage | LayerStage)[];
  /** The shape of one step's input without the batch dimension ([features], or [] for a token id). */
  readonly stepInputShape: number[];
  private readonly stepInputSize: number;
  private readonly inputDType: 'float32' | 'int32';

  constructor(model: Sequential) {
    const layers = model.layers.filter((l) => !(l instanceof InputLayer));
    if (layers.length === 0) throw new Error(`${model.describe()}: has no layers to step through.`);
    const inputShape = model.inputs[0]?.shape;
    if (!inputShape || inputShape.length < 2) {
      throw new Error(`${model.describe()}: the stepper needs a built model whose input is [batch, time, ...]; build it (or call predict once) first.`);
    }
    const rest = inputShape.slice(2);
    if (rest.some((d) => d === null || d === undefined)) {
      throw new Error(`${model.describe()}: the stepper needs the per-step input shape, got [${inputShape.map((d) => d ?? 'null').join(', ')}].`);
    }
    this.stepInputShape = rest as number[];
    this.stepInputSize = this.stepInputShape.reduce((a, b) => a * b, 1);
    this.inputDType = model.inputs[0].dtype === 'int32' ? 'int32' : 'float32';
    this.stages = layers.map((layer) => {
      const reason = unsupportedReason(layer);
      if (reason !== null) throw new Error(`${layer.describe()}: is not supported by the stepper: ${reason}.`);
      if (layer instanceof RNN) {
        const cell = layer.cell as BuiltinCell;
        return new RecurrentStage(layer, cell, fusedCellAttributes(cell));
      }
      return layerStage(layer);
    });
  }

  /**
   * One timestep: `input` holds the step's values (stepInputShape, e.g. the features, or one token id),
   * the result the model's output for this step, batch dimension dropped.
   */
  step(input: ArrayLike<number>): Float32Array {
    const size = this.stepInputSize;
    if (input === null || typeof input !== 'object' || typeof input.length !== 'number' || input.length !== size) {
      throw new Error(`SequenceStepper.step: expected ${size} value(s) of shape [${this.stepInputShape.join(', ')}], got ${input === null || typeof input !== 'object' ? String(input) : `${input.length}`}.`);
    }
    const data = this.inputDType === 'int32' ? Int32Array.from(input) : input instanceof Float32Array ? input : Float32Array.from(input);
    let value: StepValue = { data, shape: [1, 1, ...this.stepInputShape] };
    for (const stage of this.stages) value = stage.run(value);
    if (value.carried) return freshCopy(value.data);
    return value.data instanceof Float32Array ? value.data : Float32Array.from(value.data);
  }

  /** Back to zero states, as at the start of a sequence. */
  resetStates(): void {
    for (const stage of this.stages) if (stage instanceof RecurrentStage) stage.reset();
  }
}
