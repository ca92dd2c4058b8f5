/**
 * 'DenseMatMul': the float32 matrix product of a Dense layer, C = op(A)·op(B) of 2-D operands, on the
 * addon's single-precision GEMM (`gemm`), with its gradient through the same kernel (dA = dC·Bᵀ,
 * dB = Aᵀ·dC). tfjs's own 'cpu' product, which the library's BatchMatMul override reproduces bit for
 * bit, sums in float64 in tfjs's blocked order and costs about two to three times as much on the
 * shapes of a small Dense layer ([128, 128]·[128, 60]: about 100 µs against 35-45 µs per product).
 * The results are those of a float32 product: within float32 rounding of tfjs's, not its bits.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from '../native/addon_types';
import { loadNativeAddon } from '../native/load';
import { makeOutput, readFloats, type KernelBackendIO } from './backend_io';
import { kernelSetRegistrar } from './kernel_set';
import { requiredInput, type RowKernelArgs } from './row_kernel_io';

export const DENSE_MATMUL = 'DenseMatMul';

interface DenseMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

function attrsOf(args: RowKernelArgs): DenseMatMulAttrs {
  const attrs = (args.attrs ?? {}) as { transposeA?: unknown; transposeB?: unknown };
  return { transposeA: attrs.transposeA === true, transposeB: attrs.transposeB === true };
}

/**
 * inputs { a, b } (2-D float32) and optionally { bias } ([n] float32), attrs { transposeA, transposeB }
 * -> op(a)·op(b), plus bias on every row: each sum rounded to float32 once, as tf.add rounds it.
 */
export function denseMatMulKernel(args: RowKernelArgs): tf.TensorInfo {
  const backend = args.backend as KernelBackendIO;
  const a = requiredInput(args.inputs, 'a', DENSE_MATMUL);
  const b = requiredInput(args.inputs, 'b', DENSE_MATMUL);
  const { transposeA, transposeB } = attrsOf(args);
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new Error(`${DENSE_MATMUL} kernel: a and b must be 2-D, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const [kB, n] = transposeB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== kB) throw new Error(`${DENSE_MATMUL} kernel: inner dimensions differ (${k} and ${kB}) for [${a.shape.join(', ')}] · [${b.shape.join(', ')}]`);
  const load = loadNativeAddon();
  if (!load.ok) throw new Error(`${DENSE_MATMUL} kernel: needs the native addon, which did not load: ${load.error}`);
  const biasInfo = Object.hasOwn(args.inputs, 'bias') ? args.inputs.bias : undefined;
  if (biasInfo !== undefined && (biasInfo.shape.length !== 1 || biasInfo.shape[0] !== n)) {
    throw new Error(`${DENSE_MATMUL} kernel: bias has shape [${biasInfo.shape.join(', ')}]; expected [${n}]`);
  }
  const bias = biasInfo === undefined ? null : readFloats(backend, biasInfo, 'bias');
  const values = productPlusBias(load.addon, m, n, k, readFloats(backend, a, 'a'), readFloats(backend, b, 'b'), transposeA, transposeB, bias);
  return makeOutput(backend, [m, n], values);
}

/**
 * op(a)·op(b) on the addon's product, then bias [n] (or none) added to each row: the kernel's arithmetic,
 * which denseArrays shares so that a caller on plain arrays gets the same bits.
 */
export function productPlusBias(
  addon: NativeAddon, m: number, n: number, k: number, a: Float32Array, b: Float32Array, transposeA: boolean, transposeB: boolean, bias: Float32Array | null,
  out?: Float32Array,
): Float32Array {
  const values = out === undefined ? addon.gemm(m, n, k, a, b, transposeA, transposeB) : addon.gemm(m, n, k, a, b, transposeA, transposeB, out);
  if (bias !== null) addToEveryRow(values, bias, m, n);
  return values;
}

/** bias [columns] added to each row of values [rows, columns], one float32 rounding per sum (tf.add's bits). */
function addToEveryRow(values: Float32Array, bias: Float32Array, rows: number, columns: number): void {
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    for (let j = 0; j < columns; j++) values[start + j] += bias[j];
  }
}

/** The op only multiplies untransposed operands; the gradient products run on the same kernel. */
export const denseMatMulGradConfig: tf.GradConfig = {
  kernelName: DENSE_MATMUL,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const given = attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
    if (given?.transposeA === true || given?.transposeB === true) {
      throw new Error(`${DENSE_MATMUL}: the gradient of a transposed product is not supported (denseMatMul multiplies untransposed operands only).`);
    }
    const [a, b] = saved;
    const product = (x: tf.Tensor, y: tf.Tensor, transposeA: boolean, transposeB: boolean) =>
      tf.engine().runKernel(DENSE_MATMUL, { a: x, b: y }, { transposeA, transposeB }) as tf.Tensor;
    return {
      a: () => product(dy as tf.Tensor, b, false, true),
      b: () => product(a, dy as tf.Tensor, true, false),
      // The column sums (the 'cpu' Sum in float64, rounded once): what tfjs's Add gives a broadcast bias.
      bias: () => tf.sum(dy as tf.Tensor, 0),
    };
  },
};

export const registerDenseMatMulKernel = kernelSetRegistrar([[DENSE_MATMUL, denseMatMulKernel]], [denseMatMulGradConfig]);
