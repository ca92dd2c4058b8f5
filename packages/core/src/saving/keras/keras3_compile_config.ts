/**
 * A compiled model's training set-up as Keras 3 writes it into a .keras file's config.json (`compile_config`),
 * so that `keras.saving.load_model` compiles the model the same way: the optimizer, losses and metric
 * objects as serialized Keras objects (`module`, `class_name`, `config`, `registered_name`), names as names.
 */
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Names and classes of this library that Keras does not have: a config using them is not written. */
const NOT_IN_KERAS = new Set(['crossentropy', 'ce', 'AutoCrossentropy', 'perplexity', 'Perplexity', 'LossFunctionWrapper']);

/** `{class_name, config}` as Keras 3 serializes it, in `module`. */
function kerasObject(v: Obj, module: string): Obj {
  return { module, class_name: v.class_name, config: v.config ?? {}, registered_name: null };
}

/** Losses and metrics: names stay names; objects get their module; lists and per-output objects recurse. */
function identifiers(v: unknown, module: string, lacking: string[]): unknown {
  if (typeof v === 'string') {
    if (NOT_IN_KERAS.has(v)) lacking.push(v);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => identifiers(x, module, lacking));
  if (!isObj(v)) return v ?? null;
  if (typeof v.class_name !== 'string') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, identifiers(x, module, lacking)]));
  if (NOT_IN_KERAS.has(v.class_name)) lacking.push(v.class_name);
  return kerasObject(v, module);
}

/**
 * Keras 3's `compile_config` from a Keras 2 style `training_config` (training_state.ts writes that), or the
 * names Keras lacks when it cannot compile from it (the caller then writes none).
 */
export function keras3CompileConfig(training: Obj): { config: Obj | null; lacking: string[] } {
  const lacking: string[] = [];
  const optimizer = isObj(training.optimizer_config) ? training.optimizer_config : { class_name: 'RMSprop', config: {} };
  const optimizerConfig = isObj(optimizer.config) ? { ...optimizer.config } : {};
  if (isObj(optimizerConfig.learning_rate)) optimizerConfig.learning_rate = kerasObject(optimizerConfig.learning_rate, 'keras.optimizers.schedules');
  // TensorFlow.js spells RMSprop 'RMSProp' in the files written for it; Keras does not.
  const className = optimizer.class_name === 'RMSProp' ? 'RMSprop' : optimizer.class_name;
  const config: Obj = {
    optimizer: kerasObject({ class_name: className, config: optimizerConfig }, 'keras.optimizers'),
    loss: identifiers(training.loss, 'keras.losses', lacking),
    loss_weights: training.loss_weights ?? null,
    metrics: identifiers(training.metrics ?? null, 'keras.metrics', lacking),
    weighted_metrics: identifiers(training.weighted_metrics ?? null, 'keras.metrics', lacking),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
  return { config: lacking.length === 0 ? config : null, lacking };
}
