/**
 * Native replacements for tfjs 'cpu' kernels that would otherwise dominate a training step next to
 * the fused recurrent kernels: the matrix products of Dense layers (`BatchMatMul`, and
 * `_FusedMatMul`, which Dense uses for matmul + bias + activation). They are bit-identical to
 * tfjs 4.22's own kernels (the addon's `tfjsMatMul` rounds as tfjs's blocked float64 sums do; the
 * bias and relu below are tfjs's float32 add and Math.max(0, x)), so importing the library changes
 * no result of a user's tfjs code. A case the native path does not cover (another dtype, a general
 * broadcast, a bias of another shape, an activation other than linear/relu) runs the original tfjs
 * kernel, kept from before the override.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelOverrideSet, type KernelConfig } from '../backend/kernel_override_set';
import type { NativeAddon } from './addon_types';
import { loadNative } from './load';
import { makeOutput, readFloats } from '../registration/backend_io';

type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];
type TensorInfo = tf.TensorInfo;

/** The part of tfjs's MathBackendCPU the overrides use. */
interface CpuBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const overrides = new KernelOverrideSet('cpu');

/** Shapes of one product: op(A) is m x k, op(B) k x n, over `batch` matrices (A or B may be shared). */
interface ProductPlan {
  m: number;
  n: number;
  k: number;
  batch: number;
  aStride: number; // floats between consecutive A matrices (0 when broadcast)
  bStride: number;
  outShape: number[];
}

function planProduct(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): ProductPlan | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const kA = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kB = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (kA !== kB) return null; // the original kernel reports the mismatch
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1), batchB = outerB.reduce((x, y) => x * y, 1);
  let outer: number[];
  if (outerA.join(',') === outerB.join(',')) {
    outer = outerA;
  } else if (batchB === 1 && outerB.every((d) => d === 1)) {
    outer = outerA.length >= outerB.length ? outerA : [...new Array(outerB.length - outerA.length).fill(1), ...outerA];
  } else if (batchA === 1 && outerA.every((d) => d === 1)) {
    outer = outerB.length >= outerA.length ? outerB : [...new Array(outerA.length - outerB.length).fill(1), ...outerB];
  } else {
    return null; // general broadcasting: the original kernel
  }
  return {
    m, n, k: kA,
    batch: Math.max(batchA, batchB),
    aStride: batchA === 1 ? 0 : m * kA,
    bStride: batchB === 1 ? 0 : kA * n,
    outShape: [...outer, m, n],
  };
}

function nativeProduct(addon: NativeAddon, backend: CpuBackend, a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean, plan: ProductPlan): Float32Array {
  const av = readFloats(backend, a, 'BatchMatMul');
  const bv = readFloats(backend, b, 'BatchMatMul');
  const { m, n, k, batch } = plan;
  // A shared B with untransposed batched A is one product with batch*m rows (each element of C depends
  // on one row of A and one column of B only, so the rounding is the same).
  if (batch > 1 && plan.bStride === 0 && !ta) return addon.tfjsMatMul(batch * m, n, k, av, bv, false, tb);
  if (batch === 1) return addon.tfjsMatMul(m, n, k, av, bv, ta, tb);
  const out = new Float32Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    addon.tfjsMatMul(
      m, n, k,
      av.subarray(i * plan.aStride, i * plan.aStride + m * k),
      bv.subarray(i * plan.bStride, i * plan.bStride + k * n),
      ta, tb,
      out.subarray(i * m * n, (i + 1) * m * n),
    );
  }
  return out;
}

function batchMatMulConfig(addon: NativeAddon, original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      const plan = planProduct(a, b, transposeA, transposeB);
      if (!plan) return original.kernelFunc(args);
      const backend = args.backend as unknown as CpuBackend;
      return makeOutput(backend, plan.outShape, nativeProduct(addon, backend, a, b, transposeA, transposeB, plan));
    },
  };
}

/** A bias as Dense adds it: float32, one value per output column, broadcast without changing the output shape. */
function isColumnBias(bias: TensorInfo, plan: ProductPlan): boolean {
  const shape = bias.shape;
  if (bias.dtype !== 'float32' || shape.length === 0 || shape.length > plan.outShape.length) return false;
  return shape[shape.length - 1] === plan.n && shape.slice(0, -1).every((d) => d === 1);
}

function fusedMatMulConfig(addon: NativeAddon, original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const { transposeA, transposeB, activation } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
      const plan = a && b ? planProduct(a, b, transposeA, transposeB) : null;
      const simpleActivation = activation === undefined || activation === 'linear' || activation === 'relu';
      const simpleBias = !bias || (plan !== null && isColumnBias(bias, plan));
      if (!plan || !a || !b || !simpleActivation || !simpleBias || preluActivationWeights) return original.kernelFunc(args);
      const backend = args.backend as unknown as CpuBackend;
      const out = nativeProduct(addon, backend, a, b, transposeA, transposeB, plan);
      const bv = bias ? readFloats(backend, bias, '_FusedMatMul') : null;
      if (bv || activation === 'relu') {
        const n = plan.n;
        for (let i = 0; i < out.length; i += n) {
          for (let j = 0; j < n; j++) {
            let v = bv ? out[i + j] + bv[j] : out[i + j];
            if (activation === 'relu') v = Math.max(0, v); // tfjs's relu: -0 becomes +0, NaN stays NaN
            out[i + j] = v;
          }
        }
      }
      return makeOutput(backend, plan.outShape, out);
    },
  };
}

/**
 * Registers the native kernels on the 'cpu' backend (idempotent) and returns the names replaced.
 * Throws when the addon is unavailable.
 */
export function registerNativeCpuOverrides(addon?: NativeAddon): string[] {
  let native = addon;
  if (!native) {
    const load = loadNative();
    if (!load.ok) throw new Error(`native cpu overrides need the native addon: ${load.error}`);
    native = load.addon;
  }
  return overrides.register({
    BatchMatMul: (original) => batchMatMulConfig(native, original),
    _FusedMatMul: (original) => fusedMatMulConfig(native, original),
  });
}

/** Restores tfjs's own kernels (for measurements and tests). */
export function unregisterNativeCpuOverrides(): void {
  overrides.unregister();
}

export function nativeCpuOverridesActive(): string[] {
  return overrides.active();
}
