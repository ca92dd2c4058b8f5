import * as tf from '@tensorflow/tfjs';
import { Callback, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN } from '@recurrent/core';
import { ExperimentError, Issue } from '../errors';
import { snakeToCamel } from '../experiment/snake_keys';
import { LoopCallback } from './train_loop';

/** Callbacks an experiment may list in fit.callbacks, by Keras class name. */
const FACTORIES: Record<string, (config: Record<string, unknown>, print: (line: string) => void) => Callback> = {
  EarlyStopping: (config, print) => new EarlyStopping({ ...config, print }),
  ReduceLROnPlateau: (config, print) => new ReduceLROnPlateau({ ...config, print }),
  TerminateOnNaN: (_config, print) => new TerminateOnNaN(print),
};

export const CALLBACK_NAMES = Object.keys(FACTORIES);

export interface CallbackSpec {
  className: string;
  config: Record<string, unknown>;
}

/** Builds the experiment's callbacks; problems name `fit.callbacks[i]`. */
export function makeCallbacks(specs: readonly CallbackSpec[], print: (line: string) => void, file: string): Callback[] {
  const issues: Issue[] = [];
  const callbacks = specs.map((spec, i) => {
    const config = Object.fromEntries(Object.entries(spec.config).map(([k, v]) => [snakeToCamel(k), v]));
    try {
      return FACTORIES[spec.className](config, print);
    } catch (e) {
      issues.push({ path: `fit.callbacks[${i}].config`, message: (e as Error).message });
      return null;
    }
  });
  if (issues.length > 0) throw new ExperimentError(file, issues);
  return callbacks as Callback[];
}

/** The library's callbacks driven by the command's loop (Keras hook order). */
export function loopCallbacks(callbacks: readonly Callback[], model: unknown, epochs: number, steps: number, verbose: 0 | 1 | 2): LoopCallback[] {
  return callbacks.map((c) => {
    c.setModel(model as never);
    c.setParams({ epochs, steps, verbose });
    return {
      onTrainBegin: () => c.onTrainBegin({}),
      onEpochBegin: (epoch) => c.onEpochBegin(epoch, {}),
      onBatchEnd: (batch, logs) => c.onTrainBatchEnd(batch, logs),
      onEpochEnd: (epoch, logs) => c.onEpochEnd(epoch, logs),
      onTrainEnd: (logs) => c.onTrainEnd(logs),
    };
  });
}

/** A callback's state as JSON: its own fields holding numbers, text, booleans or null, and lists of
 * tensors (EarlyStopping's best weights), so a resumed run continues its patience and bests. */
export type CallbackState = Record<string, unknown>;

interface SavedTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}

function isTensorList(value: unknown): value is tf.Tensor[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof tf.Tensor);
}

export function callbackStates(callbacks: readonly Callback[]): CallbackState[] {
  return callbacks.map((c) => {
    const state: CallbackState = {};
    for (const [key, value] of Object.entries(c)) {
      if (key === 'model' || key === 'params') continue;
      if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) state[key] = Number.isNaN(value) ? 'NaN' : value;
      else if (isTensorList(value)) {
        state[key] = {
          tensors: value.map((t): SavedTensor => ({ shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32', values: Array.from(t.dataSync()) })),
        };
      }
    }
    return state;
  });
}

export function restoreCallbackStates(callbacks: readonly Callback[], states: readonly CallbackState[]): void {
  if (states.length !== callbacks.length) throw new Error(`the checkpoint holds the state of ${states.length} callbacks but the experiment has ${callbacks.length}`);
  callbacks.forEach((c, i) => {
    const target = c as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(states[i])) {
      if (value !== null && typeof value === 'object' && 'tensors' in value) {
        const previous = target[key];
        if (isTensorList(previous)) tf.dispose(previous);
        target[key] = (value as { tensors: SavedTensor[] }).tensors.map((t) => tf.tensor(t.values, t.shape, t.dtype));
      } else {
        target[key] = value === 'NaN' ? NaN : value;
      }
    }
  });
}
