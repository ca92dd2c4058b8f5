/** Bytes <-> typed arrays for the weights of a TensorFlow.js model (little-endian, tensors back to back). */
import { endianness } from 'os';
import { bytesPerElement, elementCount, type WeightSpec } from './weights_manifest';

/** The files are little-endian; on such a machine the bytes are copied as they are instead of element by element. */
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** A decoded weight: its manifest entry and its values (bool and quantized data already widened). */
export interface DecodedWeight {
  spec: WeightSpec;
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** A weight about to be written. */
export interface WeightToEncode {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
  group?: string;
}

/** IEEE 754 half precision -> single precision, for float16-quantized weights. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeOne(bytes: Uint8Array, spec: WeightSpec): DecodedWeight {
  const n = elementCount(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  if (q) {
    const out = new Float32Array(n);
    if (q.dtype === 'float16') for (let i = 0; i < n; i++) out[i] = float16ToFloat32(view.getUint16(2 * i, true));
    else if (q.dtype === 'uint8') for (let i = 0; i < n; i++) out[i] = bytes[i] * q.scale! + q.min!;
    else for (let i = 0; i < n; i++) out[i] = view.getUint16(2 * i, true) * q.scale! + q.min!;
    // A quantized int32 weight holds integers; round back so the result keeps the declared dtype.
    if (spec.dtype === 'int32') return { spec, dtype: 'int32', values: Int32Array.from(out, Math.round) };
    return { spec, dtype: 'float32', values: out };
  }
  if (spec.dtype === 'bool') return { spec, dtype: 'int32', values: Int32Array.from(bytes.subarray(0, n), (b) => (b ? 1 : 0)) };
  if (LITTLE_ENDIAN_HOST) {
    // Copied into a fresh, aligned buffer, which typed arrays need (a Node Buffer's slice() would not copy).
    const copy = new Uint8Array(4 * n);
    copy.set(bytes.subarray(0, 4 * n));
    return spec.dtype === 'int32'
      ? { spec, dtype: 'int32', values: new Int32Array(copy.buffer) }
      : { spec, dtype: 'float32', values: new Float32Array(copy.buffer) };
  }
  if (spec.dtype === 'int32') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
    return { spec, dtype: 'int32', values: out };
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return { spec, dtype: 'float32', values: out };
}

/** Whether a weight's values are its bytes as they are (no widening, no byte swapping). */
function storedAsIs(spec: WeightSpec): boolean {
  return LITTLE_ENDIAN_HOST && !spec.quantization && spec.dtype !== 'bool';
}

/**
 * One weight read from a byte source: `fill(target)` must fill `target` with the weight's bytes in the
 * file. Float32 and int32 weights are read straight into their final typed array, with no copy of the
 * bytes; quantized and bool weights go through a buffer of their stored size, then are widened.
 */
export function readWeight(spec: WeightSpec, fill: (target: Uint8Array) => void): DecodedWeight {
  const n = elementCount(spec.shape);
  if (storedAsIs(spec)) {
    const values = spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    fill(new Uint8Array(values.buffer));
    return { spec, dtype: spec.dtype === 'int32' ? 'int32' : 'float32', values };
  }
  const bytes = new Uint8Array(n * bytesPerElement(spec));
  fill(bytes);
  return decodeOne(bytes, spec);
}

/**
 * Splits a group's bytes into its weights. The caller has already checked that `data` holds exactly the
 * bytes the specs declare; the check is repeated here so this function is safe on its own.
 */
export function decodeWeights(data: Uint8Array, specs: readonly WeightSpec[], source: string): DecodedWeight[] {
  const out: DecodedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    const length = elementCount(spec.shape) * bytesPerElement(spec);
    if (offset + length > data.byteLength) {
      throw new Error(`${source}: the weight "${spec.name}" needs bytes ${offset}..${offset + length}, but the data ends at ${data.byteLength} (truncated file)`);
    }
    out.push(decodeOne(data.subarray(offset, offset + length), spec));
    offset += length;
  }
  return out;
}

/** Concatenates weights into one buffer and lists their manifest entries, in the given order. */
export function encodeWeights(weights: readonly WeightToEncode[]): { specs: WeightSpec[]; data: Buffer } {
  const total = weights.reduce((sum, w) => sum + 4 * w.values.length, 0);
  const data = Buffer.alloc(total);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const w of weights) {
    if (w.values.length !== elementCount(w.shape)) {
      throw new Error(`weight "${w.name}": ${w.values.length} values do not fill the shape [${w.shape.join(', ')}]`);
    }
    const typed = w.dtype === 'int32' ? Int32Array.from(w.values) : Float32Array.from(w.values);
    if (LITTLE_ENDIAN_HOST) {
      data.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), offset);
    } else {
      for (let i = 0; i < typed.length; i++) {
        if (w.dtype === 'int32') data.writeInt32LE(typed[i], offset + 4 * i);
        else data.writeFloatLE(typed[i], offset + 4 * i);
      }
    }
    offset += 4 * w.values.length;
    const spec: WeightSpec = { name: w.name, shape: [...w.shape], dtype: w.dtype };
    if (w.group !== undefined) spec.group = w.group;
    specs.push(spec);
  }
  return { specs, data };
}
