import { Callback, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, toCamelCase } from '@recurrent/core';
import { ExperimentError, Issue } from '../errors';

/** Callbacks an experiment may list in fit.callbacks, by Keras class name. */
const FACTORIES = new Map<string, (config: Record<string, unknown>, print: (line: string) => void) => Callback>([
  ['EarlyStopping', (config, print) => new EarlyStopping({ ...config, print })],
  ['ReduceLROnPlateau', (config, print) => new ReduceLROnPlateau({ ...config, print })],
  ['TerminateOnNaN', (_config, print) => new TerminateOnNaN(print)],
]);

const CALLBACK_NAMES = [...FACTORIES.keys()];

export interface CallbackSpec {
  className: string;
  config: Record<string, unknown>;
}

/** Builds the experiment's callbacks; problems name `fit.callbacks[i]`. */
export function makeCallbacks(specs: readonly CallbackSpec[], print: (line: string) => void, file: string): Callback[] {
  const issues: Issue[] = [];
  const callbacks = specs.map((spec, i) => {
    const config = Object.fromEntries(Object.entries(spec.config).map(([k, v]) => [toCamelCase(k), v]));
    const factory = FACTORIES.get(spec.className);
    try {
      if (factory === undefined) throw new Error(`unknown callback '${spec.className}'; known: ${CALLBACK_NAMES.join(', ')}`);
      return factory(config, print);
    } catch (e) {
      issues.push({ path: `fit.callbacks[${i}].config`, message: (e as Error).message });
      return null;
    }
  });
  if (issues.length > 0) throw new ExperimentError(file, issues);
  return callbacks as Callback[];
}
