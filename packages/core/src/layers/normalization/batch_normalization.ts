import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, initializerSchema, integer, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import type { Initializer } from '../../initializers/initializer';
import { getInitializer } from '../../initializers/lookup';
import type { TfjsConfigProblem } from '../tfjs_dialect';
import { canonicalAxes, normalize, ScaleOffset, scaleOffsetArgsShape } from './normalization_args';

/** Keras's epsilon in the masked statistics' denominators. */
const COUNT_EPSILON = 1e-7;

export const batchNormalizationArgsSchema = baseLayerArgsSchema.extend({
  /** The features axis (default -1); Keras 2 files may write it as a list of one. */
  axis: z.union([integer(), z.tuple([integer()])], {
    error: (iss) => `expected an integer (one axis), got ${JSON.stringify(iss.input)}`,
  }).optional(),
  /** Weight of the old value in the moving statistics' updates (default 0.99). */
  momentum: z.number({ error: (iss) => `expected a number in [0, 1], got ${JSON.stringify(iss.input)}` })
    .refine((v) => v >= 0 && v <= 1, { error: (iss) => `expected a number in [0, 1], got ${JSON.stringify(iss.input)}` }).optional(),
  ...scaleOffsetArgsShape,
  movingMeanInitializer: initializerSchema.optional(),
  movingVarianceInitializer: initializerSchema.optional(),
  /** Statistics over all devices' batches: one device here, so nothing changes. */
  synchronized: z.boolean().optional(),
  renorm: z.literal(false, { error: () => 'batch renormalization (renorm=true) is not supported' }).optional(),
  /** Used only with renorm, which is not supported: accepted and ignored. */
  renormClipping: z.record(z.string(), z.number()).nullish(),
  renormMomentum: z.number().optional(),
  virtualBatchSize: z.null({ error: () => 'ghost batch normalization (virtual_batch_size) is not supported' }).optional(),
  /** Keras 2's choice of a fused kernel, which computes the same: ignored. */
  fused: z.boolean().nullish(),
}).strict();

export type BatchNormalizationArgs = z.input<typeof batchNormalizationArgsSchema>;

/**
 * Keras BatchNormalization. In training (and while the layer is trainable) it normalizes with the
 * batch's mean and (biased) variance over every axis but `axis`, and moves the non-trainable
 * moving_mean / moving_variance towards them: moving = moving * momentum + batch * (1 - momentum).
 * Otherwise (inference, or a frozen layer, as in Keras 3) it normalizes with the moving statistics.
 * A mask [batch, steps] leaves masked steps out of the batch statistics; it passes through unchanged.
 * Weights in Keras's order: gamma, beta, moving_mean, moving_variance.
 */
export class BatchNormalization extends Layer {
  static override className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly options: ScaleOffset;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly synchronized: boolean;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    const a = parseLayerArgs('BatchNormalization', batchNormalizationArgsSchema, args);
    super(a);
    this.axis = Array.isArray(a.axis) ? a.axis[0] : a.axis ?? -1;
    this.momentum = a.momentum ?? 0.99;
    this.options = new ScaleOffset(a);
    this.movingMeanInitializer = getInitializer(a.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(a.movingVarianceInitializer ?? 'ones');
    this.synchronized = a.synchronized ?? false;
    this.supportsMasking = true;
  }

  private featureAxis(rank: number): number {
    return canonicalAxes([this.axis], rank, this.describe())[0];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axis = this.featureAxis(shape.length);
    const size = shape[axis];
    if (axis === 0 || size == null) {
      throw new Error(`${this.describe()}: axis ${this.axis} of ${formatShape(shape)} must be a non-batch axis of known size.`);
    }
    ({ gamma: this.gamma, beta: this.beta } = this.options.addWeights(this, [size]));
    this.movingMean = this.addWeight('moving_mean', [size], { initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [size], { initializer: this.movingVarianceInitializer, trainable: false });
  }

  /** Batch mean and variance over every axis but the features, keeping dims; masked steps left out. */
  private batchMoments(x: Tensor, axis: number, mask: Tensor | null): { mean: Tensor; variance: Tensor } {
    const reduce = [...Array(x.rank).keys()].filter((i) => i !== axis);
    if (!mask) return tf.moments(x, reduce, true);
    const keep = tf.broadcastTo((mask.dtype === 'bool' ? mask : mask.cast('bool')).expandDims(-1), x.shape);
    const count = tf.add(tf.sum(keep.cast('float32'), reduce, true), COUNT_EPSILON);
    const zeros = tf.zerosLike(x);
    const mean = tf.div(tf.sum(tf.where(keep, x, zeros), reduce, true), count);
    const variance = tf.div(tf.sum(tf.square(tf.where(keep, tf.sub(x, mean), zeros)), reduce, true), count);
    return { mean, variance };
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = (Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask) ?? null;
    if (mask && mask.rank !== x.rank - 1) {
      throw new Error(`${this.describe()}: the mask [${mask.shape.join(', ')}] must have one axis less than the inputs [${x.shape.join(', ')}].`);
    }
    const axis = this.featureAxis(x.rank);
    const broadcast = Array.from({ length: x.rank }, (_, i) => (i === axis ? (x.shape[axis] as number) : 1));
    const param = (v: LayerVariable | null) => (v ? v.read().reshape(broadcast) : null);
    return tf.tidy(() => {
      const gamma = param(this.gamma);
      const beta = param(this.beta);
      if (kwargs.training !== true || !this.trainable) {
        return normalize(x, param(this.movingMean) as Tensor, param(this.movingVariance) as Tensor, gamma, beta, this.options.epsilon);
      }
      const { mean, variance } = this.batchMoments(x, axis, mask);
      this.updateMovingStatistics(mean.reshape([-1]), variance.reshape([-1]));
      return normalize(x, mean, variance, gamma, beta, this.options.epsilon);
    });
  }

  private updateMovingStatistics(mean: Tensor, variance: Tensor): void {
    const m = this.momentum;
    for (const [moving, batch] of [[this.movingMean!, mean], [this.movingVariance!, variance]] as const) {
      tf.tidy(() => moving.write(tf.add(tf.mul(moving.read(), m), tf.mul(batch, 1 - m))));
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      ...this.options.getConfig(),
      movingMeanInitializer: this.movingMeanInitializer.serialize(),
      movingVarianceInitializer: this.movingVarianceInitializer.serialize(),
      synchronized: this.synchronized,
    };
  }

  /**
   * tfjs's BatchNormalization does not know `synchronized` (which changes nothing on one device), and
   * tfjs 4.22's cpu kernel applies the statistics along the last axis whatever `axis` says.
   */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    delete config.synchronized;
    return config.axis === -1 ? [] : [{ key: 'axis', reason: `TensorFlow.js normalizes correctly only over the last axis, written axis -1 (got ${String(config.axis)})` }];
  }
}

registerLayer(BatchNormalization);
