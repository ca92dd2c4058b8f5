/** Shared pieces of the cpu kernel tests: seeded random tensors and exact comparison. */
import * as tf from '@tensorflow/tfjs';
import { registerCpuKernelOverrides, unregisterCpuKernelOverrides } from '../register';

/** Seeded uniform numbers in [0, 1) (the kernels' test generator). */
export { seededRandom as seeded } from '../../__tests__/reference/random_case';

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 3.4e38, -3.4e38, 1e-45, 1e-38];

/** Float values of every sort: ordinary, tiny, huge, and (with `specials`) NaN, infinities, signed zeros. */
export function randomValues(rand: () => number, size: number, specials: boolean): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const r = rand();
    if (specials && r < 0.15) values[i] = SPECIALS[Math.floor(rand() * SPECIALS.length)];
    else values[i] = (rand() * 2 - 1) * Math.pow(10, Math.floor(rand() * 8) - 4);
  }
  return values;
}

export function randomTensor(rand: () => number, shape: number[], specials = true): tf.Tensor {
  return tf.tensor(randomValues(rand, shape.reduce((a, b) => a * b, 1), specials), shape, 'float32');
}

export interface Computed {
  shape: number[];
  dtype: string;
  values: number[];
}

function read(result: tf.Tensor | tf.Tensor[]): Computed[] {
  return [result].flat().map((t) => ({ shape: t.shape.slice(), dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) }));
}

/** Runs `fn` with tfjs's own kernels and with the replacements (left registered); returns both results. */
export function withAndWithout(fn: () => tf.Tensor | tf.Tensor[]): { tfjs: Computed[]; ours: Computed[] } {
  // Plain values out of a tidy that frees every tensor fn made.
  const run = (): Computed[] => {
    let out: Computed[] = [];
    tf.tidy(() => {
      out = read(fn());
    });
    return out;
  };
  unregisterCpuKernelOverrides();
  const tfjs = run();
  registerCpuKernelOverrides();
  const ours = run();
  return { tfjs, ours };
}

/** Exactly equal: same shapes and dtypes, and values equal under Object.is (so -0 differs from 0, NaN equals NaN). */
export function firstDifference(tfjs: Computed[], ours: Computed[]): string | null {
  if (tfjs.length !== ours.length) return `${ours.length} results instead of ${tfjs.length}`;
  for (let r = 0; r < tfjs.length; r++) {
    const a = tfjs[r], b = ours[r];
    if (a.shape.join(',') !== b.shape.join(',')) return `result ${r}: shape [${b.shape}] instead of [${a.shape}]`;
    if (a.dtype !== b.dtype) return `result ${r}: dtype ${b.dtype} instead of ${a.dtype}`;
    for (let i = 0; i < a.values.length; i++) {
      if (!Object.is(a.values[i], b.values[i])) return `result ${r}, element ${i}: ${b.values[i]} instead of ${a.values[i]}`;
    }
  }
  return null;
}
