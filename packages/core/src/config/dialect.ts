/**
 * Which Keras wrote a config, and what that means for numbers. The syntax (Keras 2 lists or Keras 3
 * objects) is read from the document itself; the numeric semantics come from `keras_version`:
 *
 * - `keras_version` "tfjs-layers x": TensorFlow.js. `hard_sigmoid` is 0.2x + 0.5; an omitted
 *   `recurrent_activation` means hard_sigmoid, an omitted `reset_after` means false (tfjs has no other GRU),
 *   an omitted `unit_forget_bias` means false.
 * - `keras_version` 2.x: `hard_sigmoid` is Keras 2's 0.2x + 0.5. Before 2.3.0 the recurrent defaults were
 *   `recurrent_activation: hard_sigmoid` and GRU `reset_after: false` (Keras 2.3.0 changed both).
 * - `keras_version` 3.x, or no version at all: Keras 3, whose `hard_sigmoid` is x/6 + 0.5. A hand-written
 *   config without a version therefore gets today's Keras defaults; keep `keras_version` in files that
 *   came from Keras 2 so their numbers stay Keras 2's.
 */

export type SourceDialect = 'keras2' | 'keras3' | 'tfjs';

export interface SourceInfo {
  dialect: SourceDialect;
  /** The `keras_version` string found, or null. */
  kerasVersion: string | null;
  /** Where `keras_version` came from (or why it is assumed), for messages. */
  reason: string;
}

/** How the numbers of a source are read. */
export interface Semantics {
  /** The activation a file's `hard_sigmoid` means here. */
  hardSigmoid: 'hard_sigmoid' | 'hard_sigmoid_legacy';
  /** Values for keys the file leaves out, where the writer's default differs from Keras 3's. */
  recurrentDefaults: { recurrentActivation?: string; resetAfter?: boolean; unitForgetBias?: boolean };
}

/** Parses "2.2.4" / "2.13.1" / "3.3.3" into numbers; null when it does not look like a version. */
export function parseVersion(version: string): [number, number, number] | null {
  const m = version.match(/^(\d+)\.(\d+)(?:\.(\d+))?/);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** True when any object in `value` carries Keras 3 markers (`module`, `registered_name`, `build_config`). */
export function hasKeras3Markers(value: unknown, budget = { left: 100_000 }): boolean {
  if (budget.left-- <= 0 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasKeras3Markers(v, budget));
  const obj = value as Record<string, unknown>;
  if ('registered_name' in obj || 'build_config' in obj || ('module' in obj && 'class_name' in obj)) return true;
  if (obj.class_name === '__keras_tensor__') return true;
  return Object.values(obj).some((v) => hasKeras3Markers(v, budget));
}

/** Decides the dialect from the wrapper's `keras_version`/`backend` and the document's markers. */
export function detectSource(kerasVersion: unknown, backend: unknown, config: unknown): SourceInfo {
  if (typeof kerasVersion === 'string') {
    if (kerasVersion.startsWith('tfjs') || backend === 'tensor_flow.js') {
      return { dialect: 'tfjs', kerasVersion, reason: `keras_version "${kerasVersion}"` };
    }
    const v = parseVersion(kerasVersion);
    if (v && v[0] <= 2) return { dialect: 'keras2', kerasVersion, reason: `keras_version "${kerasVersion}"` };
    return { dialect: 'keras3', kerasVersion, reason: `keras_version "${kerasVersion}"` };
  }
  if (hasKeras3Markers(config)) return { dialect: 'keras3', kerasVersion: null, reason: 'Keras 3 markers (module, registered_name)' };
  return { dialect: 'keras3', kerasVersion: null, reason: 'no keras_version given; Keras 3 defaults assumed' };
}

/** The numeric reading of a source (see the file comment). */
export function semanticsOf(source: SourceInfo): Semantics {
  if (source.dialect === 'tfjs') {
    return {
      hardSigmoid: 'hard_sigmoid_legacy',
      recurrentDefaults: { recurrentActivation: 'hard_sigmoid_legacy', resetAfter: false, unitForgetBias: false },
    };
  }
  if (source.dialect === 'keras2') {
    const v = source.kerasVersion ? parseVersion(source.kerasVersion) : null;
    const before23 = v !== null && (v[0] < 2 || (v[0] === 2 && v[1] < 3));
    return {
      hardSigmoid: 'hard_sigmoid_legacy',
      recurrentDefaults: before23 ? { recurrentActivation: 'hard_sigmoid_legacy', resetAfter: false } : {},
    };
  }
  return { hardSigmoid: 'hard_sigmoid', recurrentDefaults: {} };
}
