import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs, type LayerArgs } from '../../engine/layer';
import { rate, seedSchema } from '../../engine/schema_parts';
import { formatShape, isShapeList, type Shape, type Tensor, type TensorDType } from '../../engine/types';
import { DropoutSeedStream } from '../rnn/dropout_masks';
import { asBool, callFlag, causalMask } from './attention_masks';

/** The arguments Attention and AdditiveAttention share (Keras 3's Attention, which AdditiveAttention extends). */
export const denseAttentionArgsShape = {
  /** Learn a scale for the scores (Attention: one scalar; AdditiveAttention: one per feature). */
  useScale: z.boolean().optional(),
  /** Fraction of the attention weights dropped in training. */
  dropout: rate().optional(),
  seed: seedSchema().optional(),
  /** Keras 2's constructor form of `useCausalMask` (every call is causal); Keras 3 has only the call option. */
  causal: z.boolean().optional(),
};

export interface DenseAttentionOptions {
  useScale: boolean;
  dropout: number;
  seed: number | null;
  causal: boolean;
}

/** Keras subtracts this from the scores of masked value steps before the softmax. */
const PADDING_PENALTY = 1e9;

/**
 * Attention over a list of inputs `[query, value]` or `[query, value, key]` (key defaults to value), each
 * `[batch, steps, features]`: scores `[batch, Tq, Tv]` from query and key (the subclass's rule), a softmax
 * over the value steps, and the weighted sum of the values: `[batch, Tq, valueFeatures]`.
 *
 * Masks as in Keras 3: the value mask (`mask[1]`) and the causal mask (call option `useCausalMask`) keep
 * scores from masked or later steps out of the softmax; the query mask (`mask[0]`) zeroes the output at
 * masked query steps and is the output's mask. Call option `returnAttentionScores` adds the weights
 * (after masking, softmax and dropout) as a second output. The score, softmax and context products are
 * batched matrix products.
 */
export abstract class BaseDenseAttention extends Layer {
  readonly useScale: boolean;
  readonly dropout: number;
  readonly seed: number | null;
  readonly causal: boolean;
  /** Seeds of the successive dropout masks (saved with a training checkpoint). */
  private readonly seeds: DropoutSeedStream;

  protected constructor(args: LayerArgs, options: DenseAttentionOptions) {
    super(args);
    this.useScale = options.useScale;
    this.dropout = options.dropout;
    this.seed = options.seed;
    this.causal = options.causal;
    this.seeds = new DropoutSeedStream(this.seed);
    this.supportsMasking = true;
  }

  /** Scores `[batch, Tq, Tv]` of query `[batch, Tq, d]` against key `[batch, Tv, d]`. */
  protected abstract calculateScores(query: Tensor, key: Tensor): Tensor;

  /** Creates the score weights, given the query's feature size. */
  protected abstract buildScoreWeights(queryFeatures: number): void;

  /** Checks the input shapes (a list of 2 or 3 rank-3 shapes that fit together) and returns them. */
  protected inputShapes(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape) || inputShape.length < 2 || inputShape.length > 3) {
      throw new Error(`${this.describe()}: expects a list of inputs [query, value] or [query, value, key].`);
    }
    const [q, v, k = v] = inputShape;
    if ([q, v, k].some((s) => s.length !== 3)) {
      throw new Error(`${this.describe()}: query, value and key must be [batch, steps, features], got ${inputShape.map(formatShape).join(', ')}.`);
    }
    const agree = (a: number | null, b: number | null) => a == null || b == null || a === b;
    if (!agree(v[1], k[1])) throw new Error(`${this.describe()}: value and key must have the same number of steps, got ${formatShape(v)} and ${formatShape(k)}.`);
    if (!agree(q[2], k[2])) throw new Error(`${this.describe()}: query and key must have the same number of features, got ${formatShape(q)} and ${formatShape(k)}.`);
    return [q, v, k];
  }

  override build(inputShape: Shape | Shape[]): void {
    const [query] = this.inputShapes(inputShape);
    if (query[2] == null) throw new Error(`${this.describe()}: the query's feature size must be known, got ${formatShape(query)}.`);
    this.buildScoreWeights(query[2]);
  }

  override computeOutputShape(inputShape: Shape | Shape[], callArgs?: Record<string, unknown>): Shape | Shape[] {
    const [q, v, k] = this.inputShapes(inputShape);
    const output: Shape = [q[0], q[1], v[2]];
    if (!callFlag(callArgs, 'returnAttentionScores', this.describe())) return output;
    return [output, [q[0], q[1], v[1] ?? k[1]]];
  }

  override computeOutputDType(): TensorDType {
    return 'float32';
  }

  /** The query mask passes on (Keras 3); a second output (the scores) has none. */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | null {
    void inputs;
    const masks = this.maskList(mask);
    return masks[0];
  }

  private maskList(mask: Tensor | Tensor[] | null | undefined): (Tensor | null)[] {
    if (mask === undefined || mask === null) return [null, null];
    if (!Array.isArray(mask)) throw new Error(`${this.describe()}: the mask must be a list [queryMask, valueMask] (null for an unmasked input).`);
    return [mask[0] ?? null, mask[1] ?? null];
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    if (!Array.isArray(inputs)) throw new Error(`${this.describe()}: expects a list of inputs [query, value] or [query, value, key].`);
    this.inputShapes(inputs.map((t) => [...t.shape]));
    const [query, value, key = value] = inputs;
    const [queryMask, valueMask] = this.maskList(kwargs.mask);
    const returnScores = callFlag(kwargs, 'returnAttentionScores', this.describe());
    const causal = this.causal || callFlag(kwargs, 'useCausalMask', this.describe());
    const dropoutSeed = kwargs.training === true && this.dropout > 0 ? this.seeds.next() : null;
    return tf.tidy(() => {
      let scores = this.calculateScores(query, key);
      const keep = this.scoreMask(scores, valueMask, causal);
      if (keep !== null) scores = tf.sub(scores, tf.mul(tf.sub(1, tf.cast(keep, 'float32')), PADDING_PENALTY));
      let weights = tf.softmax(scores);
      if (dropoutSeed !== null) {
        const kept = tf.greaterEqual(tf.randomUniform(weights.shape, 0, 1, 'float32', dropoutSeed), this.dropout);
        weights = tf.div(tf.mul(weights, tf.cast(kept, 'float32')), 1 - this.dropout);
      }
      let result = tf.matMul(weights, value);
      if (queryMask !== null) result = tf.mul(result, tf.cast(asBool(queryMask), 'float32').expandDims(-1));
      return returnScores ? [result, weights] : result;
    });
  }

  /** Where scores may count: the value mask `[batch, 1, Tv]` and the causal mask `[1, Tq, Tv]`, combined. */
  private scoreMask(scores: Tensor, valueMask: Tensor | null, causal: boolean): Tensor | null {
    const fromValues = valueMask === null ? null : asBool(valueMask).expandDims(1);
    if (!causal) return fromValues;
    const triangle = causalMask(scores.shape[1] as number, scores.shape[2] as number);
    return fromValues === null ? triangle : tf.logicalAnd(fromValues, triangle);
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), useScale: this.useScale, dropout: this.dropout, seed: this.seed };
    // Keras 3 has no `causal` argument: written only when set, by a Keras 2 config.
    if (this.causal) config.causal = true;
    return config;
  }
}
