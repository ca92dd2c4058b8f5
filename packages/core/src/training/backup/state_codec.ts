/**
 * Callback states and running metrics as JSON: tensors become {"$tensor": i} (their values go to a
 * binary file beside the JSON), and numbers JSON cannot hold become {"$number": "NaN" | "Infinity" |
 * "-Infinity"}, so a state comes back exactly as it was given.
 */
import * as tf from '@tensorflow/tfjs';
import type { StateValue } from '../callbacks/callback';
import { setOwn } from '../../config/own_keys';

export type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

const NON_FINITE = new Map<string, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

/** An object literal (of any realm: structuredClone makes its copies in Node's own). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** `value` as JSON; its tensors are appended to `tensors` (not copied: the caller reads them at once). */
export function encodeState(value: StateValue, tensors: tf.Tensor[], where: string): Json {
  if (value instanceof tf.Tensor) {
    tensors.push(value);
    return { $tensor: tensors.length - 1 };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v, i) => encodeState(v, tensors, `${where}[${i}]`));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: { [key: string]: Json } = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$')) throw new Error(`${where}: state keys may not start with '$' (got '${key}'), which marks encoded values.`);
      setOwn(out, key, encodeState(inner, tensors, `${where}.${key}`));
    }
    return out;
  }
  throw new Error(`${where}: a callback state holds numbers, text, booleans, null, tensors, lists and plain objects; got ${typeof value === 'object' ? (value as object).constructor?.name : typeof value}.`);
}

/** The inverse of encodeState; `tensors` are the values of the {"$tensor": i} references (each used once). */
export function decodeState(json: unknown, tensors: readonly tf.Tensor[], where: string, used = new Set<number>()): StateValue {
  if (json === null || typeof json === 'string' || typeof json === 'boolean' || typeof json === 'number') return json;
  if (Array.isArray(json)) return json.map((v, i) => decodeState(v, tensors, `${where}[${i}]`, used));
  if (typeof json !== 'object') throw new Error(`${where}: unexpected ${typeof json} in a state.`);
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '$tensor') {
    const i = o.$tensor;
    if (!(typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < tensors.length) || used.has(i)) {
      throw new Error(`${where}: tensor reference ${JSON.stringify(i)} does not name one of the ${tensors.length} saved tensors (each once).`);
    }
    used.add(i);
    return tensors[i];
  }
  if (keys.length === 1 && keys[0] === '$number') {
    const v = NON_FINITE.get(String(o.$number));
    if (v === undefined || typeof o.$number !== 'string') throw new Error(`${where}: ${JSON.stringify(o.$number)} is not NaN, Infinity or -Infinity.`);
    return v;
  }
  const out: { [key: string]: StateValue } = {};
  for (const key of keys) {
    if (key.startsWith('$')) throw new Error(`${where}: unexpected key '${key}' in a state.`);
    // Defined, not assigned: a key named __proto__ stays a plain key.
    Object.defineProperty(out, key, { value: decodeState(o[key], tensors, `${where}.${key}`, used), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Numbers of a running metric state, possibly non-finite (a diverged loss), as JSON and back. */
export function encodeNumbers(rows: readonly (readonly number[])[]): Json {
  return rows.map((row) => row.map((v) => (Number.isFinite(v) ? v : { $number: String(v) })));
}

export function decodeNumbers(json: unknown, where: string): number[][] {
  const decoded = decodeState(json, [], where);
  if (!Array.isArray(decoded) || !decoded.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    throw new Error(`${where}: expected lists of numbers.`);
  }
  return decoded as number[][];
}
