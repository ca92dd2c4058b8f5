import * as tf from '@tensorflow/tfjs';
import { softmaxLastAxis } from '@recurrent/kernels';
import { describeValue } from '../config/describe_value';
import { didYouMean } from '../data/nearest_name';

/** An element-wise (or last-axis, for softmax) function, with the name it is serialized under. */
export interface ActivationFn {
  /** Keras name, snake_case (`hard_sigmoid`), or the function's own name for custom functions. */
  readonly name: string;
  /** False for functions given by the user, which cannot be written to a config. */
  readonly builtIn: boolean;
  apply(x: tf.Tensor): tf.Tensor;
}

const SQRT_HALF = Math.SQRT1_2;

/** Keras 3's activations, by their Keras names. */
export const BUILT_IN_ACTIVATIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  // One pass per row (kernel 'SoftmaxLastAxis'); tfjs's softmax uses broadcasting ops, slow on the cpu backend.
  softmax: (x) => (x.rank >= 1 && x.dtype === 'float32' ? softmaxLastAxis(x) : tf.softmax(x, -1)),
  log_softmax: (x) => tf.logSoftmax(x, -1),
  // Keras 3: relu6(x + 3) / 6.
  hard_sigmoid: (x) => tf.tidy(() => tf.clipByValue(x.div(6).add(0.5), 0, 1)),
  // Keras 2 and tfjs: 0.2 x + 0.5.
  hard_sigmoid_legacy: (x) => tf.tidy(() => tf.clipByValue(x.mul(0.2).add(0.5), 0, 1)),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.tidy(() => x.div(tf.abs(x).add(1))),
  silu: (x) => tf.tidy(() => x.mul(tf.sigmoid(x))),
  // Exact gelu (Keras 3 default approximate=False): x * Phi(x).
  gelu: (x) => tf.tidy(() => x.mul(tf.erf(x.mul(SQRT_HALF)).add(1)).mul(0.5)),
  exponential: (x) => tf.exp(x),
};

/** Other spellings mapped to the Keras name. */
const ALIASES = new Map<string, string>([['swish', 'silu'], ['hardsigmoid', 'hard_sigmoid'], ['logsoftmax', 'log_softmax'],
  ['hardsigmoidlegacy', 'hard_sigmoid_legacy'], ['none', 'linear']]);

/** Maps `hardSigmoid`, `hard_sigmoid`, `HardSigmoid` to `hard_sigmoid`; undefined when unknown. */
export function canonicalActivationName(name: string): string | undefined {
  const key = name.replace(/_/g, '').toLowerCase();
  const found = Object.keys(BUILT_IN_ACTIVATIONS).find((k) => k.replace(/_/g, '') === key);
  return found ?? ALIASES.get(key);
}

export function activationNames(): string[] {
  return [...Object.keys(BUILT_IN_ACTIVATIONS), 'swish'];
}

export type ActivationIdentifier = string | ((x: tf.Tensor) => tf.Tensor) | ActivationFn | null;

/** Resolves a Keras name (`'relu'`, `'hard_sigmoid'`, camelCase too), a function, or null (linear). */
export function getActivation(identifier: ActivationIdentifier | undefined): ActivationFn {
  if (identifier == null) return getActivation('linear');
  if (typeof identifier === 'string') {
    const name = canonicalActivationName(identifier);
    if (!name) throw new Error(`Unknown activation ${describeValue(identifier)}${didYouMean(identifier, activationNames())}; known: ${activationNames().join(', ')}.`);
    return { name, builtIn: true, apply: BUILT_IN_ACTIVATIONS[name] };
  }
  if (typeof identifier === 'function') {
    return { name: identifier.name || 'custom', builtIn: false, apply: identifier };
  }
  if (typeof identifier === 'object' && typeof identifier.apply === 'function') return identifier;
  throw new Error(`Expected an activation name or function, got ${describeValue(identifier)}.`);
}

/** The name under which an activation goes into a config; custom functions cannot be serialized. */
export function serializeActivation(activation: ActivationFn): string {
  if (!activation.builtIn) {
    throw new Error(`The custom activation function ${JSON.stringify(activation.name)} cannot be saved in a config; use one of ${activationNames().join(', ')}.`);
  }
  return activation.name;
}
