import * as tf from '@tensorflow/tfjs';
import type { LayerDType } from '../engine/types';
import { RandomInitializer } from './random_initializers';
import { randomOrthogonalColumns } from './haar';

/**
 * A random orthogonal matrix with Keras's distribution: Q of the QR of a Gaussian matrix of shape
 * [max(rows, cols), min(rows, cols)], Q's columns signed by diag(R) (uniform over orthogonal matrices),
 * transposed when rows < cols, times `gain`; rows = product of all but the last dim. See haar.ts for
 * how Q is drawn without a factorization.
 */
export class Orthogonal extends RandomInitializer {
  static override className = 'Orthogonal';
  readonly gain: number;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.gain = args.gain ?? 1;
  }

  apply(shape: number[], dtype: LayerDType = 'float32', seed?: number): tf.Tensor {
    if (shape.length < 2) {
      throw new Error(`Orthogonal initializer: needs a shape with at least 2 dimensions, got [${shape.join(', ')}].`);
    }
    if (dtype !== 'float32') throw new Error(`Orthogonal initializer: only float32 weights can be random, got ${dtype}.`);
    const cols = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const gaussian = tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', this.pickSeed(seed)));
    const a = Float64Array.from(gaussian.dataSync());
    gaussian.dispose();
    const q = randomOrthogonalColumns(a, m, n);
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const value = this.gain * q[i * n + j];
        // q is m x n; when rows < cols the result is its transpose (rows = n, cols = m).
        if (rows >= cols) out[i * cols + j] = value;
        else out[j * cols + i] = value;
      }
    }
    return tf.tensor(out, shape, 'float32');
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed };
  }
}
