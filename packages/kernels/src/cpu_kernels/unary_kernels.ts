/**
 * Float32 unary kernels that showed up in training-step profiles (Sqrt and Neg in the optimizers'
 * updates, Log in the cross-entropy loss, Relu and Step, its gradient's mask, after a convolution).
 * As with the binary kernels, each gets its own loop so the operation is inlined; the arithmetic is
 * tfjs's (Math.sqrt, Math.log, multiplying by -1, Math.max(0, x), NaN-or-step), so values are equal
 * bit for bit. Other dtypes run the original kernel.
 */
import { cpuBackendOf, float32Values, type KernelArgs, type KernelConfig, type TensorInfo } from './cpu_backend';

type UnaryLoop = (x: Float32Array, out: Float32Array, attrs: Record<string, unknown> | undefined) => void;

function sqrtLoop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
}

function logLoop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
}

function negLoop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = -1 * x[i];
}

function reluLoop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.max(0, x[i]);
}

/** x > 0 ? 1 : alpha, NaN staying NaN (tfjs's Step; alpha 0 in the gradient of Relu). */
function stepLoop(x: Float32Array, out: Float32Array, attrs: Record<string, unknown> | undefined): void {
  const alpha = typeof attrs?.alpha === 'number' ? attrs.alpha : 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v !== v ? NaN : v > 0 ? 1 : alpha;
  }
}

export const UNARY_LOOPS: Readonly<Record<string, UnaryLoop>> = {
  Sqrt: sqrtLoop,
  Log: logLoop,
  Neg: negLoop,
  Relu: reluLoop,
  Step: stepLoop,
};

export const UNARY_KERNEL_NAMES = Object.keys(UNARY_LOOPS);

export function unaryKernelConfig(original: KernelConfig): KernelConfig {
  const loop = Object.hasOwn(UNARY_LOOPS, original.kernelName) ? UNARY_LOOPS[original.kernelName] : undefined;
  if (loop === undefined) throw new Error(`cpu kernels: no float32 loop for unary kernel '${original.kernelName}'`);
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { x } = args.inputs as { x?: TensorInfo };
      if (!x) return original.kernelFunc(args);
      const backend = cpuBackendOf(args);
      const values = float32Values(backend, x);
      if (values === null) return original.kernelFunc(args);
      const out = new Float32Array(values.length);
      loop(values, out, args.attrs as Record<string, unknown> | undefined);
      return backend.makeTensorInfo(x.shape.slice(), 'float32', out);
    },
  };
}
