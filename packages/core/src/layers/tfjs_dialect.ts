/**
 * How a layer is written in the TensorFlow.js dialect (what `tf.loadLayersModel` reads) when tfjs spells
 * or supports it differently from Keras. A layer class may define a static
 * `adaptConfigForTfjs(config)` that rewrites its camelCase config in place into tfjs's spelling and
 * returns what tfjs cannot express; the config writer reports those as "cannot be written for
 * TensorFlow.js" at the key's path.
 */
export interface TfjsConfigProblem {
  /** The camelCase config key at fault; '' when the layer as a whole cannot be written. */
  key: string;
  reason: string;
}

export type TfjsConfigAdapter = (config: Record<string, unknown>) => TfjsConfigProblem[];

/** Drops `key` when it holds its default (tfjs does not know it); otherwise reports it. */
export function dropDefaultKey(config: Record<string, unknown>, key: string, defaultValue: unknown, reason: string): TfjsConfigProblem[] {
  const value = config[key];
  delete config[key];
  return value === undefined || value === null || value === defaultValue ? [] : [{ key, reason }];
}

/** For layers TensorFlow.js does not have: the tfjs dialect cannot hold them (Keras 3's can). */
export function notInTfjs(className: string): TfjsConfigAdapter {
  return () => [{ key: '', reason: `TensorFlow.js has no ${className} layer (save in the 'keras3' dialect, which 'auto' chooses)` }];
}
