import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { getInitializer } from '../../initializers/lookup';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, parseLayerArgs } from '../../engine/schema_parts';
import type { Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import { BaseDenseAttention, denseAttentionArgsShape } from './base_dense_attention';
import { notInTfjs } from '../tfjs_dialect';

export const additiveAttentionArgsSchema = baseLayerArgsSchema.extend(denseAttentionArgsShape).strict();

export type AdditiveAttentionArgs = z.input<typeof additiveAttentionArgsSchema>;

/**
 * Additive (Bahdanau-style) attention, Keras's AdditiveAttention: scores are
 * `sum over features of scale * tanh(query + key)`, `scale` a learned vector (glorot-uniform, one entry
 * per feature) when `useScale` (the default), else 1. Masks, softmax, dropout and the weighted sum are
 * BaseDenseAttention's.
 */
export class AdditiveAttention extends BaseDenseAttention {
  static override className = 'AdditiveAttention';
  static adaptConfigForTfjs = notInTfjs('AdditiveAttention');
  scale: LayerVariable | null = null;

  constructor(args: AdditiveAttentionArgs = {}) {
    const a = parseLayerArgs('AdditiveAttention', additiveAttentionArgsSchema, args);
    super(a, { useScale: a.useScale ?? true, dropout: a.dropout ?? 0, seed: a.seed ?? null, causal: a.causal ?? false });
  }

  protected buildScoreWeights(queryFeatures: number): void {
    if (this.useScale) this.scale = this.addWeight('scale', [queryFeatures], { initializer: getInitializer('glorotUniform') });
  }

  protected calculateScores(query: Tensor, key: Tensor): Tensor {
    // [batch, Tq, 1, d] + [batch, 1, Tv, d]: every query step against every key step.
    let terms = tf.tanh(tf.add(tf.expandDims(query, 2), tf.expandDims(key, 1)));
    if (this.scale !== null) terms = tf.mul(terms, this.scale.read());
    return tf.sum(terms, -1);
  }
}

registerLayer(AdditiveAttention);
