import * as tf from '@tensorflow/tfjs';
import type { LayerDType } from '../engine/types';
import { RandomInitializer } from './random_initializers';

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

const MODES: FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: ScalingDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];

/** Keras's fan computation: 2-D [in, out]; higher ranks multiply by the receptive field (all but the last two dims). */
export function computeFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/**
 * Samples with a variance of `scale / n`, n being the fan-in, fan-out or their mean. The truncated normal
 * is widened by 1/0.8796 so that, after cutting at two standard deviations, the variance is the one asked.
 */
export class VarianceScaling extends RandomInitializer {
  static override className = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  constructor(args: { scale?: number; mode?: FanMode; distribution?: ScalingDistribution | 'normal'; seed?: number | null } = {}) {
    super(args.seed);
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fan_in';
    // Keras 2 spelled the truncated normal 'normal'.
    const distribution = args.distribution === 'normal' ? 'truncated_normal' : (args.distribution ?? 'truncated_normal');
    if (!(this.scale > 0)) throw new Error(`VarianceScaling initializer: scale: expected a positive number, got ${this.scale}.`);
    if (!MODES.includes(this.mode)) {
      throw new Error(`VarianceScaling initializer: mode: expected one of ${MODES.join(', ')}, got ${JSON.stringify(this.mode)}.`);
    }
    if (!DISTRIBUTIONS.includes(distribution)) {
      throw new Error(`VarianceScaling initializer: distribution: expected one of ${DISTRIBUTIONS.join(', ')}, got ${JSON.stringify(distribution)}.`);
    }
    this.distribution = distribution;
  }

  apply(shape: number[], dtype: LayerDType = 'float32', seed?: number): tf.Tensor {
    if (dtype !== 'float32') throw new Error(`${this.className} initializer: only float32 weights can be random, got ${dtype}.`);
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const s = this.pickSeed(seed);
    if (this.distribution === 'truncated_normal') {
      return tf.truncatedNormal(shape, 0, Math.sqrt(variance) / 0.87962566103423978, 'float32', s);
    }
    if (this.distribution === 'untruncated_normal') return tf.randomNormal(shape, 0, Math.sqrt(variance), 'float32', s);
    const limit = Math.sqrt(3 * variance);
    return tf.randomUniform(shape, -limit, limit, 'float32', s);
  }

  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

/** A VarianceScaling with fixed parameters, whose config is only the seed (as in Keras). */
abstract class FixedVarianceScaling extends VarianceScaling {
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

export class GlorotUniform extends FixedVarianceScaling {
  static override className = 'GlorotUniform';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: args.seed });
  }
}

export class GlorotNormal extends FixedVarianceScaling {
  static override className = 'GlorotNormal';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: args.seed });
  }
}

export class HeNormal extends FixedVarianceScaling {
  static override className = 'HeNormal';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed });
  }
}

export class HeUniform extends FixedVarianceScaling {
  static override className = 'HeUniform';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: args.seed });
  }
}

export class LeCunNormal extends FixedVarianceScaling {
  static override className = 'LecunNormal';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed });
  }
}

export class LeCunUniform extends FixedVarianceScaling {
  static override className = 'LecunUniform';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: args.seed });
  }
}
