/**
 * Binary kernels for the 'cpu' backend: float32 arithmetic (Add, Sub, Multiply, RealDiv, Maximum,
 * Minimum, SquaredDifference), float32 comparisons (Greater, GreaterEqual, Less, LessEqual, Equal,
 * NotEqual, with a bool result) and LogicalAnd on bools. Same shapes, dtypes and values as tfjs's
 * kernels, computed run by run; any other case (int32 operands, complex64, strings, mismatched
 * dtypes, incompatible shapes, which then raise tfjs's own error) runs the original kernel.
 */
import { BINARY_RUNS, type Run } from './binary_runs';
import { broadcastShape, planBroadcastWalk, runBroadcastWalk } from './broadcast_walk';
import { COMPARISON_RUNS, LOGICAL_AND_RUN } from './comparison_runs';
import { cpuBackendOf, float32Values, boolValues, sizeOf, type CpuBackend, type KernelArgs, type KernelConfig, type TensorInfo } from './cpu_backend';

type Values = Float32Array | Uint8Array;
type Dtype = 'float32' | 'bool';

interface BinaryLoop {
  input: Dtype;
  output: Dtype;
  run: Run<Values, Values>;
}

const LOOPS: Record<string, BinaryLoop> = {
  ...Object.fromEntries(Object.entries(BINARY_RUNS).map(([name, run]) => [name, { input: 'float32', output: 'float32', run: run as Run<Values, Values> }])),
  ...Object.fromEntries(Object.entries(COMPARISON_RUNS).map(([name, run]) => [name, { input: 'float32', output: 'bool', run: run as Run<Values, Values> }])),
  LogicalAnd: { input: 'bool', output: 'bool', run: LOGICAL_AND_RUN as Run<Values, Values> },
};

export const BINARY_KERNEL_NAMES = Object.keys(LOOPS);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function allocate(dtype: Dtype, size: number): Values {
  return dtype === 'float32' ? new Float32Array(size) : new Uint8Array(size);
}

/**
 * run(a, b) over the broadcast of the two shapes into a new array of `outDtype`, or null when the
 * shapes do not broadcast (the original kernel then reports it).
 */
export function binaryByRuns<In extends Values>(
  run: Run<In, Values>, outDtype: Dtype,
  aShape: readonly number[], bShape: readonly number[], aValues: In, bValues: In,
): { shape: number[]; values: Values } | null {
  if (sameShape(aShape, bShape)) {
    const out = allocate(outDtype, aValues.length);
    if (out.length > 0) run(out, 0, out.length, aValues, 0, 1, bValues, 0, 1);
    return { shape: aShape.slice(), values: out };
  }
  const shape = broadcastShape(aShape, bShape);
  if (shape === null) return null;
  const out = allocate(outDtype, sizeOf(shape));
  if (out.length === 0) return { shape, values: out };
  // One operand a single element (a scalar, or all ones): one run repeating it.
  if (aValues.length === 1) run(out, 0, out.length, aValues, 0, 0, bValues, 0, 1);
  else if (bValues.length === 1) run(out, 0, out.length, aValues, 0, 1, bValues, 0, 0);
  else runBroadcastWalk(planBroadcastWalk(aShape, bShape, shape), run, aValues, bValues, out);
  return { shape, values: out };
}

function valuesOf(backend: CpuBackend, t: TensorInfo, dtype: Dtype): Values | null {
  return dtype === 'float32' ? float32Values(backend, t) : boolValues(backend, t);
}

/** The replacement for one binary kernel; `original` is tfjs's, kept for the cases above. */
export function binaryKernelConfig(original: KernelConfig): KernelConfig {
  const loop = Object.hasOwn(LOOPS, original.kernelName) ? LOOPS[original.kernelName] : undefined;
  if (loop === undefined) throw new Error(`cpu kernels: no loop for binary kernel '${original.kernelName}'`);
  const { input, output, run } = loop;
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { a, b } = args.inputs as { a?: TensorInfo; b?: TensorInfo };
      if (!a || !b) return original.kernelFunc(args);
      const backend = cpuBackendOf(args);
      const aValues = valuesOf(backend, a, input);
      const bValues = aValues === null ? null : valuesOf(backend, b, input);
      if (aValues === null || bValues === null) return original.kernelFunc(args);
      const result = binaryByRuns(run, output, a.shape, b.shape, aValues, bValues);
      if (result === null) return original.kernelFunc(args);
      return backend.makeTensorInfo(result.shape, output, result.values);
    },
  };
}
