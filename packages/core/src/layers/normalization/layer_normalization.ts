import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Layer, type CallKwargs } from '../../engine/layer';
import { registerLayer } from '../../engine/registry';
import { baseLayerArgsSchema, integer, parseLayerArgs } from '../../engine/schema_parts';
import { formatShape, type Shape, type Tensor } from '../../engine/types';
import type { LayerVariable } from '../../engine/variable';
import { dropDefaultKey, type TfjsConfigProblem } from '../tfjs_dialect';
import { canonicalAxes, normalize, ScaleOffset, scaleOffsetArgsShape } from './normalization_args';

export const layerNormalizationArgsSchema = baseLayerArgsSchema.extend({
  /** The axis (default -1, the features) or axes normalized over, for each sample separately. */
  axis: z.union([integer(), z.array(integer()).min(1)], {
    error: (iss) => `expected an integer or a list of integers, got ${JSON.stringify(iss.input)}`,
  }).optional(),
  ...scaleOffsetArgsShape,
  /** Keras 3's deprecated variant: x / sqrt(var + epsilon) * gamma, without centering or beta. */
  rmsScaling: z.boolean().optional(),
}).strict();

export type LayerNormalizationArgs = z.input<typeof layerNormalizationArgsSchema>;

/**
 * Normalizes each sample over `axis` to mean 0 and variance 1, then scales by gamma and shifts by
 * beta (Keras LayerNormalization; gamma and beta span the normalized axes). Statistics are those of
 * the sample alone, so training and inference compute the same; the mask passes through unchanged.
 */
export class LayerNormalization extends Layer {
  static override className = 'LayerNormalization';
  readonly axis: number | number[];
  readonly options: ScaleOffset;
  readonly rmsScaling: boolean;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  private axes: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    const a = parseLayerArgs('LayerNormalization', layerNormalizationArgsSchema, args);
    super(a);
    this.axis = Array.isArray(a.axis) ? [...a.axis] : a.axis ?? -1;
    this.options = new ScaleOffset(a);
    this.rmsScaling = a.rmsScaling ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.axes = canonicalAxes(Array.isArray(this.axis) ? this.axis : [this.axis], shape.length, this.describe()).sort((p, q) => p - q);
    const paramShape = this.axes.map((a) => shape[a]);
    if (this.axes.includes(0) || paramShape.some((d) => d == null)) {
      throw new Error(`${this.describe()}: the normalized axes ${JSON.stringify(this.axes)} of ${formatShape(shape)} must have known sizes and not include the batch axis.`);
    }
    const { gamma, beta } = this.options.addWeights(this, paramShape as number[], {
      scale: this.options.scale || this.rmsScaling, center: this.options.center && !this.rmsScaling,
    });
    this.gamma = gamma;
    this.beta = beta;
  }

  /** A parameter of the normalized axes' shape, shaped to broadcast against x. */
  private broadcastParam(v: LayerVariable | null, rank: number): Tensor | null {
    if (!v) return null;
    if (this.axes.length === 1 && this.axes[0] === rank - 1) return v.read();
    const shape = Array.from({ length: rank }, (_, i) => (this.axes.includes(i) ? v.shape[this.axes.indexOf(i)] : 1));
    return v.read().reshape(shape);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const gamma = this.broadcastParam(this.gamma, x.rank);
      const { mean, variance } = tf.moments(x, this.axes, true);
      if (this.rmsScaling) {
        const scaled = tf.mul(x, tf.rsqrt(tf.add(variance, this.options.epsilon)));
        return gamma ? tf.mul(scaled, gamma) : scaled;
      }
      return normalize(x, mean, variance, gamma, this.broadcastParam(this.beta, x.rank), this.options.epsilon);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis, ...this.options.getConfig(), rmsScaling: this.rmsScaling };
  }

  /** tfjs's LayerNormalization has no constraints and no rms_scaling. */
  static adaptConfigForTfjs(config: Record<string, unknown>): TfjsConfigProblem[] {
    return [
      ...dropDefaultKey(config, 'betaConstraint', null, "TensorFlow.js's LayerNormalization has no beta_constraint"),
      ...dropDefaultKey(config, 'gammaConstraint', null, "TensorFlow.js's LayerNormalization has no gamma_constraint"),
      ...dropDefaultKey(config, 'rmsScaling', false, "TensorFlow.js's LayerNormalization has no rms_scaling"),
    ];
  }
}

registerLayer(LayerNormalization);
