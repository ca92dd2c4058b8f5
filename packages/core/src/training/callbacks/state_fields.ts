/**
 * Reading fields of a restored callback state (Callback.setState) with a clear error when a field is
 * missing or of the wrong kind. The state comes from a verified backup, so an error here means a
 * callback changed between the run that saved it and the one restoring it.
 */
import * as tf from '@tensorflow/tfjs';
import type { CallbackState, StateValue } from './callback';

function fail(owner: string, key: string, expected: string, value: StateValue | undefined): never {
  throw new Error(`${owner}.setState: '${key}' must be ${expected}, got ${value === undefined ? 'nothing' : JSON.stringify(value instanceof tf.Tensor ? 'a tensor' : value)}.`);
}

export function numberField(state: CallbackState, key: string, owner: string): number {
  const v = state[key];
  return typeof v === 'number' ? v : fail(owner, key, 'a number', v);
}

export function nullableNumberField(state: CallbackState, key: string, owner: string): number | null {
  const v = state[key];
  return v === null || typeof v === 'number' ? v : fail(owner, key, 'a number or null', v);
}

export function stringField(state: CallbackState, key: string, owner: string): string {
  const v = state[key];
  return typeof v === 'string' ? v : fail(owner, key, 'text', v);
}

export function nullableStringListField(state: CallbackState, key: string, owner: string): string[] | null {
  const v = state[key];
  if (v === null) return null;
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : fail(owner, key, 'a list of text or null', v);
}

export function nullableTensorListField(state: CallbackState, key: string, owner: string): tf.Tensor[] | null {
  const v = state[key];
  if (v === null) return null;
  return Array.isArray(v) && v.every((t) => t instanceof tf.Tensor) ? (v as tf.Tensor[]) : fail(owner, key, 'a list of tensors or null', v);
}

/** A JSON field taken as it is (a record list); `check` says whether it has the expected form. */
export function jsonField<T>(state: CallbackState, key: string, owner: string, expected: string, check: (v: StateValue) => boolean): T {
  const v = state[key];
  return v !== undefined && check(v) ? (v as unknown as T) : fail(owner, key, expected, v);
}
