import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, integer, parseLayerArgs, positiveInt, rate, seedSchema } from '../../engine/schema_parts';
import { formatShape, isShapeList, type Shape, type Tensor, type TensorDType } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import { KernelBias, kernelBiasArgsShape } from '../kernel_bias';
import { DropoutSeedStream } from '../rnn/dropout_masks';
import { notInTfjs } from '../tfjs_dialect';
import { asBool, callFlag, causalMask, maskedSoftmax } from './attention_masks';

/** Dense's kernel and bias arguments, which Keras passes to the four projections (they have no activation). */
const { activation: _noActivation, ...projectionArgsShape } = kernelBiasArgsShape;
void _noActivation;

export const multiHeadAttentionArgsSchema = baseLayerArgsSchema.extend({
  numHeads: positiveInt(),
  /** Size of each head's query and key projections. */
  keyDim: positiveInt(),
  /** Size of each head's value projection (default keyDim). */
  valueDim: positiveInt().nullish(),
  /** Fraction of the attention weights dropped in training. */
  dropout: rate().optional(),
  /** The output's feature shape (default the query's feature size): a size or a list of sizes. */
  outputShape: z.union([positiveInt(), z.array(positiveInt()).min(1)], {
    error: (iss) => `expected a positive integer or a list of them, got ${JSON.stringify(iss.input)}`,
  }).nullish(),
  /** The axes attended over; for [batch, steps, features] inputs only the steps (1, or -2 counted Keras's way). */
  attentionAxes: z.union([integer(), z.array(integer())], {
    error: (iss) => `expected an integer or a list of integers, got ${JSON.stringify(iss.input)}`,
  }).nullish(),
  ...projectionArgsShape,
  seed: seedSchema().optional(),
}).strict();

export type MultiHeadAttentionArgs = z.input<typeof multiHeadAttentionArgsSchema>;

/** One of the four projections (Keras's EinsumDense sublayers 'query', 'key', 'value', 'attention_output'). */
interface Projection {
  kernel: LayerVariable;
  bias: LayerVariable | null;
}

/**
 * Multi-head attention (Keras 3's MultiHeadAttention) over `[batch, steps, features]` inputs, called on
 * `[query, value]` or `[query, value, key]`: query, key and value are projected to `numHeads` heads
 * (`keyDim`, `keyDim`, `valueDim` wide), each head's scores are its query . key / sqrt(keyDim), a masked
 * softmax over the value steps weights the values, and the heads are projected together to `outputShape`.
 *
 * Weights as Keras 3 names and orders them: query/kernel [features, heads, keyDim], query/bias [heads,
 * keyDim], the same for key and value, then attention_output/kernel [heads, valueDim, ...outputShape]
 * and attention_output/bias. Masks: the query's, value's and key's masks (from the graph or `mask`),
 * the call options `useCausalMask` and `attentionMask` (a tensor [batch, Tq, Tv], eager calls only)
 * combine into one attention mask; the output's mask is the query's. `returnAttentionScores` adds the
 * weights `[batch, heads, Tq, Tv]` (before dropout, as Keras) as a second output. The score and context
 * products are batched matrix products over batch x heads.
 */
export class MultiHeadAttention extends Layer {
  static override className = 'MultiHeadAttention';
  static adaptConfigForTfjs = notInTfjs('MultiHeadAttention');
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly outputShape: number[] | null;
  readonly attentionAxes: number | number[] | null;
  /** The projections' kernel and bias options (`useBias`, initializers, regularizers, constraints). */
  readonly projectionOptions: KernelBias;
  readonly seed: number | null;
  private readonly seeds: DropoutSeedStream;
  private projections: { query: Projection; key: Projection; value: Projection; output: Projection } | null = null;

  constructor(args: MultiHeadAttentionArgs) {
    const a = parseLayerArgs('MultiHeadAttention', multiHeadAttentionArgsSchema, args);
    if (a.activityRegularizer) {
      throw new Error("MultiHeadAttention: activityRegularizer is not supported (Keras applies it to each of the four projections' outputs, not to the layer's output); regularize the kernels instead.");
    }
    super(a);
    this.numHeads = a.numHeads;
    this.keyDim = a.keyDim;
    this.valueDim = a.valueDim ?? a.keyDim;
    this.dropout = a.dropout ?? 0;
    this.outputShape = a.outputShape == null ? null : Array.isArray(a.outputShape) ? [...a.outputShape] : [a.outputShape];
    this.attentionAxes = a.attentionAxes == null ? null : Array.isArray(a.attentionAxes) ? [...a.attentionAxes] : a.attentionAxes;
    this.checkAttentionAxes();
    this.projectionOptions = new KernelBias(a);
    this.seed = a.seed ?? null;
    this.seeds = new DropoutSeedStream(this.seed);
    this.supportsMasking = true;
  }

  /**
   * Keras counts attention axes in the projected [batch, steps, heads, size] tensor, a negative axis from
   * its end minus one; over [batch, steps, features] inputs the steps (axis 1) are the only choice.
   */
  private checkAttentionAxes(): void {
    if (this.attentionAxes === null) return;
    const axes = Array.isArray(this.attentionAxes) ? this.attentionAxes : [this.attentionAxes];
    const resolved = axes.map((axis) => (axis >= 0 ? axis : 3 + axis));
    if (resolved.length !== 1 || resolved[0] !== 1) {
      throw new Error(`MultiHeadAttention: attentionAxes ${JSON.stringify(this.attentionAxes)} is not supported: attention runs over the steps of [batch, steps, features] inputs only (attentionAxes null, 1 or -2); attention over several axes of higher-rank inputs is not implemented.`);
    }
  }

  /** [query, value, key] shapes, each [batch, steps, features], value and key with the same steps. */
  private inputShapes(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape) || inputShape.length < 2 || inputShape.length > 3) {
      throw new Error(`${this.describe()}: expects a list of inputs [query, value] or [query, value, key].`);
    }
    const [q, v, k = v] = inputShape;
    if ([q, v, k].some((s) => s.length !== 3)) {
      throw new Error(`${this.describe()}: inputs must be [batch, steps, features] (attention over more than one axis is not implemented), got ${inputShape.map(formatShape).join(', ')}.`);
    }
    if (v[1] != null && k[1] != null && v[1] !== k[1]) {
      throw new Error(`${this.describe()}: value and key must have the same number of steps, got ${formatShape(v)} and ${formatShape(k)}.`);
    }
    return [q, v, k];
  }

  private featureSize(shape: Shape, what: string): number {
    const size = shape[2];
    if (size == null) throw new Error(`${this.describe()}: the ${what}'s feature size must be known, got ${formatShape(shape)}.`);
    return size;
  }

  private addProjection(name: string, kernelShape: number[], biasShape: number[]): Projection {
    const o = this.projectionOptions;
    const kernel = this.addWeight(`${name}/kernel`, kernelShape, { initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    const bias = o.useBias
      ? this.addWeight(`${name}/bias`, biasShape, { initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint })
      : null;
    return { kernel, bias };
  }

  override build(inputShape: Shape | Shape[]): void {
    const [q, v, k] = this.inputShapes(inputShape);
    const heads = this.numHeads;
    const outputShape = this.outputShape ?? [this.featureSize(q, 'query')];
    this.projections = {
      query: this.addProjection('query', [this.featureSize(q, 'query'), heads, this.keyDim], [heads, this.keyDim]),
      key: this.addProjection('key', [this.featureSize(k, 'key'), heads, this.keyDim], [heads, this.keyDim]),
      value: this.addProjection('value', [this.featureSize(v, 'value'), heads, this.valueDim], [heads, this.valueDim]),
      output: this.addProjection('attention_output', [heads, this.valueDim, ...outputShape], outputShape),
    };
  }

  override computeOutputShape(inputShape: Shape | Shape[], callArgs?: Record<string, unknown>): Shape | Shape[] {
    const [q, v, k] = this.inputShapes(inputShape);
    const output: Shape = [q[0], q[1], ...(this.outputShape ?? [q[2]])];
    if (!callFlag(callArgs, 'returnAttentionScores', this.describe())) return output;
    return [output, [q[0], this.numHeads, q[1], v[1] ?? k[1]]];
  }

  override computeOutputDType(): TensorDType {
    return 'float32';
  }

  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | null {
    void inputs;
    return Array.isArray(mask) ? mask[0] ?? null : null;
  }

  /** [batch, steps, features] -> [batch * heads, steps, size]: one matrix per (sample, head). */
  private project(x: Tensor, p: Projection): Tensor {
    const [batch, steps, features] = x.shape as number[];
    const [, heads, size] = p.kernel.shape;
    let y = tf.matMul(x.reshape([batch * steps, features]), p.kernel.read().reshape([features, heads * size]));
    if (p.bias) y = tf.add(y, p.bias.read().reshape([heads * size]));
    return y.reshape([batch, steps, heads, size]).transpose([0, 2, 1, 3]).reshape([batch * heads, steps, size]);
  }

  /**
   * The attention mask [batch or 1, 1, Tq, Tv] (true = may attend) from the input masks, the causal mask
   * and an explicit attention mask, combined with AND as Keras 3 does; null when there is none.
   */
  private attentionMask(masks: (Tensor | null)[], explicit: Tensor | null, causal: boolean, tq: number, tv: number): Tensor | null {
    const [queryMask, valueMask, keyMask] = masks;
    const parts: Tensor[] = [];
    if (queryMask) parts.push(asBool(queryMask).expandDims(-1));
    if (valueMask) parts.push(asBool(valueMask).expandDims(1));
    if (keyMask) parts.push(asBool(keyMask).expandDims(1));
    if (causal) parts.push(causalMask(tq, tv));
    if (explicit) {
      if (explicit.rank < 2 || explicit.rank > 3 || explicit.shape[explicit.rank - 2] !== tq || explicit.shape[explicit.rank - 1] !== tv) {
        throw new Error(`${this.describe()}: attentionMask must be [batch, ${tq}, ${tv}] (query steps, value steps), got [${explicit.shape.join(', ')}].`);
      }
      parts.push(asBool(explicit));
    }
    if (parts.length === 0) return null;
    return parts.reduce((all, m) => tf.logicalAnd(all, m)).expandDims(1);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    if (!Array.isArray(inputs)) throw new Error(`${this.describe()}: expects a list of inputs [query, value] or [query, value, key].`);
    this.inputShapes(inputs.map((t) => [...t.shape]));
    const [query, value, key = value] = inputs;
    const masks = Array.isArray(kwargs.mask) ? kwargs.mask.map((m) => m ?? null) : [null, null, null];
    const explicit = kwargs.attentionMask ?? null;
    if (explicit !== null && !(explicit instanceof tf.Tensor)) throw new Error(`${this.describe()}: attentionMask must be a tensor [batch, Tq, Tv].`);
    const returnScores = callFlag(kwargs, 'returnAttentionScores', this.describe());
    const causal = callFlag(kwargs, 'useCausalMask', this.describe());
    const dropoutSeed = kwargs.training === true && this.dropout > 0 ? this.seeds.next() : null;
    const p = this.projections!;
    return tf.tidy(() => {
      const [batch, tq] = query.shape as number[];
      const tv = value.shape[1] as number;
      const heads = this.numHeads;
      const q = tf.mul(this.project(query, p.query), 1 / Math.sqrt(this.keyDim));
      const k = this.project(key, p.key);
      const v = this.project(value, p.value);
      const scores = tf.matMul(q, k, false, true).reshape([batch, heads, tq, tv]);
      const weights = maskedSoftmax(scores, this.attentionMask(masks, explicit, causal, tq, tv));
      let used = weights;
      if (dropoutSeed !== null) {
        const kept = tf.greaterEqual(tf.randomUniform(weights.shape, 0, 1, 'float32', dropoutSeed), this.dropout);
        used = tf.div(tf.mul(weights, tf.cast(kept, 'float32')), 1 - this.dropout);
      }
      // [batch * heads, Tq, valueDim] -> [batch * Tq, heads * valueDim], then the output projection.
      const context = tf.matMul(used.reshape([batch * heads, tq, tv]), v)
        .reshape([batch, heads, tq, this.valueDim]).transpose([0, 2, 1, 3]).reshape([batch * tq, heads * this.valueDim]);
      const outputShape = p.output.kernel.shape.slice(2);
      const outputSize = outputShape.reduce((a, b) => a * b, 1);
      let output = tf.matMul(context, p.output.kernel.read().reshape([heads * this.valueDim, outputSize]));
      if (p.output.bias) output = tf.add(output, p.output.bias.read().reshape([outputSize]));
      output = output.reshape([batch, tq, ...outputShape]);
      return returnScores ? [output, weights] : output;
    });
  }

  override getConfig(): Record<string, unknown> {
    const { activation, ...projection } = this.projectionOptions.getConfig();
    void activation;
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      outputShape: this.outputShape === null ? null : [...this.outputShape],
      attentionAxes: Array.isArray(this.attentionAxes) ? [...this.attentionAxes] : this.attentionAxes,
      ...projection,
      seed: this.seed,
    };
  }
}

registerLayer(MultiHeadAttention);
