/**
 * The weights manifest of a TensorFlow.js `model.json`: groups of binary files (shards read back to back)
 * and the tensors laid out in them, in order. Validated by hand so each problem names the entry and the fix.
 */
import { IssueCollector } from '../config/config_error';
import { describeValue } from '../config/describe_value';

/** Storage dtypes of a manifest entry. `quantization` changes how the bytes are stored, not the result dtype. */
export type StoredDType = 'float32' | 'int32' | 'bool';
export type QuantizationDType = 'uint8' | 'uint16' | 'float16';

export interface WeightQuantization {
  dtype: QuantizationDType;
  /** Affine quantization (uint8/uint16): value = stored * scale + min. */
  scale?: number;
  min?: number;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: StoredDType;
  /** 'optimizer' marks optimizer state (the TensorFlow.js convention); absent for model weights. */
  group?: string;
  quantization?: WeightQuantization;
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

const STORED_BYTES = new Map<string, number>([['float32', 4], ['int32', 4], ['bool', 1]]);
const QUANTIZED_BYTES = new Map<string, number>([['uint8', 1], ['uint16', 2], ['float16', 2]]);

/** A single tensor larger than this many elements is refused before any allocation (2^31 - 1, a typed-array bound). */
export const MAX_ELEMENTS_PER_WEIGHT = 2 ** 31 - 1;

/** Bytes one element occupies in the file. */
export function bytesPerElement(spec: Pick<WeightSpec, 'dtype' | 'quantization'>): number {
  return (spec.quantization ? QUANTIZED_BYTES.get(spec.quantization.dtype) : STORED_BYTES.get(spec.dtype))!;
}

/** Number of elements of a validated shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A shard path must be a plain file name next to model.json (`weights.bin`, `./group1-shard1of2.bin`):
 * anything that climbs out of the folder or is absolute is refused, so a crafted manifest cannot make the
 * loader read arbitrary files.
 */
export function checkShardPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return `expected a file name, got ${describeValue(path)}`;
  const name = path.startsWith('./') ? path.slice(2) : path;
  if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name) || name.includes('\0')) {
    return `expected a file name in the model's folder (like "weights.bin"), got ${describeValue(path)}`;
  }
  return undefined;
}

/** The file name a shard path refers to (its `./` prefix removed). */
export function shardFileName(path: string): string {
  return path.startsWith('./') ? path.slice(2) : path;
}

function checkShape(shape: unknown, where: string, issues: IssueCollector): shape is number[] {
  if (!Array.isArray(shape)) {
    issues.add(where, `expected a list of non-negative integers, got ${describeValue(shape)}`);
    return false;
  }
  let ok = true;
  let count = 1;
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      issues.add(`${where}[${i}]`, `expected a non-negative integer dimension, got ${describeValue(d)}`);
      ok = false;
    } else {
      count *= d;
    }
  });
  if (ok && count > MAX_ELEMENTS_PER_WEIGHT) {
    issues.add(where, `declares ${count} elements, more than the ${MAX_ELEMENTS_PER_WEIGHT} a weight may hold`);
    ok = false;
  }
  return ok;
}

function checkQuantization(q: unknown, where: string, issues: IssueCollector): q is WeightQuantization {
  if (!isPlainObject(q)) {
    issues.add(where, `expected an object like {"dtype": "uint8", "scale": 0.1, "min": -1}, got ${describeValue(q)}`);
    return false;
  }
  if (!(typeof q.dtype === 'string' && QUANTIZED_BYTES.has(q.dtype))) {
    issues.add(`${where}.dtype`, `expected one of uint8, uint16, float16, got ${describeValue(q.dtype)}`);
    return false;
  }
  if (q.dtype !== 'float16') {
    for (const key of ['scale', 'min'] as const) {
      if (typeof q[key] !== 'number' || !Number.isFinite(q[key])) {
        issues.add(`${where}.${key}`, `expected a finite number, got ${describeValue(q[key])}`);
        return false;
      }
    }
  }
  return true;
}

function checkSpec(spec: unknown, where: string, issues: IssueCollector): WeightSpec | undefined {
  if (!isPlainObject(spec)) {
    issues.add(where, `expected an object {"name", "shape", "dtype"}, got ${describeValue(spec)}`);
    return undefined;
  }
  let ok = true;
  if (typeof spec.name !== 'string' || spec.name === '') {
    issues.add(`${where}.name`, `expected a weight name, got ${describeValue(spec.name)}`);
    ok = false;
  }
  if (!checkShape(spec.shape, `${where}.shape`, issues)) ok = false;
  if (!(typeof spec.dtype === 'string' && STORED_BYTES.has(spec.dtype))) {
    const hint = spec.dtype === 'string' || spec.dtype === 'complex64' ? ' (this dtype cannot be a layer weight)' : '';
    issues.add(`${where}.dtype`, `expected one of float32, int32, bool, got ${describeValue(spec.dtype)}${hint}`);
    ok = false;
  }
  if (spec.group !== undefined && spec.group !== null && typeof spec.group !== 'string') {
    issues.add(`${where}.group`, `expected a string such as "optimizer", got ${describeValue(spec.group)}`);
    ok = false;
  }
  if (spec.quantization !== undefined && spec.quantization !== null) {
    if (!checkQuantization(spec.quantization, `${where}.quantization`, issues)) ok = false;
  }
  if (!ok) return undefined;
  const out: WeightSpec = { name: spec.name as string, shape: [...(spec.shape as number[])], dtype: spec.dtype as StoredDType };
  if (typeof spec.group === 'string') out.group = spec.group;
  if (isPlainObject(spec.quantization)) out.quantization = spec.quantization as unknown as WeightQuantization;
  return out;
}

/** Checks the structure of a `weightsManifest` value, collecting every problem under `weightsManifest[...]`. */
export function readWeightsManifest(value: unknown, issues: IssueCollector): WeightsManifestGroup[] {
  if (!Array.isArray(value)) {
    issues.add('weightsManifest', `expected a list of groups [{"paths": [...], "weights": [...]}], got ${describeValue(value)}`);
    return [];
  }
  const groups: WeightsManifestGroup[] = [];
  const seenNames = new Set<string>();
  value.forEach((group, g) => {
    const where = `weightsManifest[${g}]`;
    if (!isPlainObject(group)) {
      issues.add(where, `expected an object {"paths": [...], "weights": [...]}, got ${describeValue(group)}`);
      return;
    }
    const paths: string[] = [];
    if (!Array.isArray(group.paths)) {
      issues.add(`${where}.paths`, `expected a list of file names, got ${describeValue(group.paths)}`);
    } else {
      group.paths.forEach((p, i) => {
        const problem = checkShardPath(p);
        if (problem) issues.add(`${where}.paths[${i}]`, problem);
        else paths.push(p as string);
      });
    }
    const weights: WeightSpec[] = [];
    if (!Array.isArray(group.weights)) {
      issues.add(`${where}.weights`, `expected a list of weight entries, got ${describeValue(group.weights)}`);
    } else {
      group.weights.forEach((spec, i) => {
        const checked = checkSpec(spec, `${where}.weights[${i}]`, issues);
        if (!checked) return;
        const key = `${checked.group ?? ''}\u0000${checked.name}`;
        if (seenNames.has(key)) issues.add(`${where}.weights[${i}].name`, `the weight "${checked.name}" is listed twice`);
        seenNames.add(key);
        weights.push(checked);
      });
    }
    groups.push({ paths, weights });
  });
  return groups;
}

/** Bytes a group's weights occupy, as the manifest declares them. */
export function groupByteLength(group: WeightsManifestGroup): number {
  return group.weights.reduce((sum, spec) => sum + elementCount(spec.shape) * bytesPerElement(spec), 0);
}
