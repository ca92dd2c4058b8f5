/**
 * Softmax over the last axis on float32, with tfjs's arithmetic step for step. tfjs's own 'cpu'
 * Softmax calls its max, sub, exp, sum and div kernels directly (not through the registry), and its
 * sub with a [rows, 1] operand takes the per-element broadcasting path; here each row is one pass.
 * Every intermediate tfjs stores in a Float32Array is rounded the same way (Math.fround), and the
 * row sum is accumulated in double in the same order, so the results are equal bit for bit.
 */
import { cpuBackendOf, float32Values, type KernelArgs, type KernelConfig, type TensorInfo } from './cpu_backend';

const fround = Math.fround;
const exp = Math.exp;

function softmaxRows(x: Float32Array, width: number, out: Float32Array): void {
  for (let start = 0; start < x.length; start += width) {
    const end = start + width;
    // tfjs's max: a NaN anywhere makes the maximum NaN.
    let max = x[start];
    for (let i = start; i < end; i++) {
      const v = x[i];
      if (Number.isNaN(v) || v > max) max = v;
    }
    let sum = 0;
    for (let i = start; i < end; i++) {
      const e = fround(exp(fround(x[i] - max)));
      out[i] = e;
      sum += e;
    }
    const total = fround(sum);
    for (let i = start; i < end; i++) out[i] = out[i] / total;
  }
}

export function softmaxKernelConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { logits } = args.inputs as { logits?: TensorInfo };
      const dim = (args.attrs as { dim?: number } | undefined)?.dim;
      if (!logits || logits.shape.length === 0) return original.kernelFunc(args);
      const rank = logits.shape.length;
      const width = logits.shape[rank - 1];
      // Another axis (tfjs raises its own error) or an empty tensor: the original kernel.
      if ((dim !== -1 && dim !== rank - 1) || width === 0) return original.kernelFunc(args);
      const backend = cpuBackendOf(args);
      const values = float32Values(backend, logits);
      if (values === null || values.length === 0) return original.kernelFunc(args);
      const out = new Float32Array(values.length);
      softmaxRows(values, width, out);
      return backend.makeTensorInfo(logits.shape.slice(), 'float32', out);
    },
  };
}
