import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getInitializer } from '../../initializers/lookup';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import { BaseDenseAttention, denseAttentionArgsShape } from './base_dense_attention';
import { notInTfjs } from '../tfjs_dialect';

export const attentionArgsSchema = baseLayerArgsSchema.extend({
  ...denseAttentionArgsShape,
  /** 'dot': query . key; 'concat': the sum over features of tanh(query + key), times a learned weight. */
  scoreMode: z.enum(['dot', 'concat'], { error: (iss) => `expected "dot" or "concat", got ${JSON.stringify(iss.input)}` }).optional(),
}).strict();

export type AttentionArgs = z.input<typeof attentionArgsSchema>;

/**
 * Dot-product (Luong-style) attention, Keras's Attention: scores are query . key, times a learned scalar
 * `scale` when `useScale`; with `scoreMode: 'concat'`, `concat_score_weight * sum(tanh(scale * (q + k)))`.
 * Everything else (masks, softmax, dropout, the weighted sum) is BaseDenseAttention's.
 */
export class Attention extends BaseDenseAttention {
  static override className = 'Attention';
  static adaptConfigForTfjs = notInTfjs('Attention');
  readonly scoreMode: 'dot' | 'concat';
  scale: LayerVariable | null = null;
  concatScoreWeight: LayerVariable | null = null;

  constructor(args: AttentionArgs = {}) {
    const a = parseLayerArgs('Attention', attentionArgsSchema, args);
    super(a, { useScale: a.useScale ?? false, dropout: a.dropout ?? 0, seed: a.seed ?? null, causal: a.causal ?? false });
    this.scoreMode = a.scoreMode ?? 'dot';
  }

  protected buildScoreWeights(): void {
    if (this.useScale) this.scale = this.addWeight('scale', [], { initializer: getInitializer('ones') });
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], { initializer: getInitializer('ones') });
  }

  protected calculateScores(query: Tensor, key: Tensor): Tensor {
    const scale = this.scale?.read() ?? null;
    if (this.scoreMode === 'dot') {
      const scores = tf.matMul(query, key, false, true);
      return scale === null ? scores : tf.mul(scores, scale);
    }
    // [batch, Tq, 1, d] + [batch, 1, Tv, d]: every query step against every key step.
    let sum = tf.add(tf.expandDims(query, 2), tf.expandDims(key, 1));
    if (scale !== null) sum = tf.mul(sum, scale);
    return tf.mul(tf.sum(tf.tanh(sum), -1), this.concatScoreWeight!.read());
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scoreMode: this.scoreMode };
  }
}

registerLayer(Attention);
