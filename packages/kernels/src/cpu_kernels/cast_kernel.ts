/**
 * Cast to float32 from int32 or bool. tfjs's cpu kernel returns the input's data id under the float32
 * dtype, so the stored record keeps the input's dtype: every `readSync`/`dataSync` of the float32
 * tensor converts the whole array to that dtype and back again (the recurrent kernels read their
 * inputs that way, twice per training step), and where the storage is not a Float32Array the float32
 * loops of the replacement kernels fall back to tfjs's generic ones. One-hot labels made with
 * `tf.oneHot(...).toFloat()` hit this in every training step.
 *
 * The replacement copies the values once into a float32 tensor of its own when every one of them is an
 * integer exact in float32 (magnitude up to 2^24; all bools): every reader then sees the very numbers
 * it saw before, so results stay equal bit for bit. Otherwise, and for other casts, tfjs's kernel runs.
 */
import { cpuBackendOf, sizeOf, type KernelArgs, type KernelConfig, type TensorInfo } from './cpu_backend';

/** Integers up to this magnitude are exact in float32 (a 24-bit significand). */
const FLOAT32_EXACT_INTEGER = 2 ** 24;

type StoredIntegers = Int32Array | Uint8Array | Float32Array;

/** The values as float32, or null when one of them is not an integer exact in float32. */
function exactFloat32(values: StoredIntegers): Float32Array | null {
  const out = new Float32Array(values.length);
  if (values instanceof Uint8Array) {
    out.set(values);
    return out;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v <= FLOAT32_EXACT_INTEGER && v >= -FLOAT32_EXACT_INTEGER && Math.trunc(v) === v)) return null;
    out[i] = v;
  }
  return out;
}

/** The stored values of an int32 or bool tensor (tfjs's cpu OneHot, for one, stores int32 as float32). */
function storedIntegers(args: KernelArgs, x: TensorInfo): StoredIntegers | null {
  if (x.dtype !== 'int32' && x.dtype !== 'bool') return null;
  const values = cpuBackendOf(args).data.get(x.dataId).values;
  const typed = values instanceof Int32Array || values instanceof Uint8Array || values instanceof Float32Array ? values : null;
  return typed !== null && typed.length === sizeOf(x.shape) ? typed : null;
}

export function castKernelConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { x } = args.inputs as { x?: TensorInfo };
      const dtype = (args.attrs as { dtype?: unknown } | undefined)?.dtype;
      if (!x || dtype !== 'float32') return original.kernelFunc(args);
      const stored = storedIntegers(args, x);
      const converted = stored === null ? null : exactFloat32(stored);
      if (converted === null) return original.kernelFunc(args);
      return cpuBackendOf(args).makeTensorInfo(x.shape.slice(), 'float32', converted);
    },
  };
}
