/**
 * Metrics by name, object or function. Names keep the spelling the user gave ('acc', 'mse'), which is
 * the key shown in the logs, as Keras does.
 */
import type * as tf from '@tensorflow/tfjs';
import { describeValue, shortText } from '../../config/describe_value';
import { didYouMean } from '../../data/nearest_name';
import type { Loss } from '../losses/loss';
import { AutoCrossentropy, type CrossentropyKind } from '../losses/auto_crossentropy';
import { Metric } from './metric';
import { MeanMetricWrapper } from './mean_metric';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy';
import { MeanAbsoluteError, MeanSquaredError } from './regression_metrics';
import { Precision, Recall } from './confusion';
import { Perplexity } from './perplexity';
import { BinaryCrossentropyMetric, CategoricalCrossentropyMetric, SparseCategoricalCrossentropyMetric } from './crossentropy_metrics';

export type MetricFnIdentifier = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
export type SerializedMetric = { className: string; config?: Record<string, unknown> };
export type MetricIdentifier = string | Metric | MetricFnIdentifier | SerializedMetric;

/** The cross-entropy kind each loss class means. */
const CROSSENTROPY_KINDS = new Map<string, CrossentropyKind>([
  ['BinaryCrossentropy', 'binary'],
  ['SparseCategoricalCrossentropy', 'sparse'],
  ['CategoricalCrossentropy', 'categorical'],
]);

interface LossHint {
  kind: CrossentropyKind | null;
  fromLogits: boolean;
}

/** What the output's loss tells about its targets: the cross-entropy kind and whether outputs are logits. */
function lossHint(loss: Loss | null | undefined): LossHint {
  if (!loss) return { kind: null, fromLogits: false };
  const fromLogits = Boolean((loss as unknown as { fromLogits?: boolean }).fromLogits);
  const kind = loss instanceof AutoCrossentropy ? null : (CROSSENTROPY_KINDS.get(loss.className) ?? null);
  return { kind, fromLogits };
}

type MetricFactory = (name: string, hint: LossHint) => Metric;

const METRIC_FACTORIES = new Map<string, MetricFactory>([
  ['accuracy', (name, hint) => new Accuracy({ name, kind: hint.kind })],
  ['acc', (name, hint) => new Accuracy({ name, kind: hint.kind })],
  ['binaryaccuracy', (name) => new BinaryAccuracy({ name })],
  ['categoricalaccuracy', (name) => new CategoricalAccuracy({ name })],
  ['sparsecategoricalaccuracy', (name) => new SparseCategoricalAccuracy({ name })],
  ['meansquarederror', (name) => new MeanSquaredError({ name })],
  ['mse', (name) => new MeanSquaredError({ name })],
  ['meanabsoluteerror', (name) => new MeanAbsoluteError({ name })],
  ['mae', (name) => new MeanAbsoluteError({ name })],
  ['precision', (name) => new Precision({ name })],
  ['recall', (name) => new Recall({ name })],
  ['perplexity', (name, hint) => new Perplexity({ name, fromLogits: hint.fromLogits })],
  ['categoricalcrossentropy', (name, hint) => new CategoricalCrossentropyMetric({ name, fromLogits: hint.fromLogits })],
  ['sparsecategoricalcrossentropy', (name, hint) => new SparseCategoricalCrossentropyMetric({ name, fromLogits: hint.fromLogits })],
  ['binarycrossentropy', (name, hint) => new BinaryCrossentropyMetric({ name, fromLogits: hint.fromLogits })],
]);

const METRIC_CLASSES = new Map<string, new (args: Record<string, unknown>) => Metric>([
  ['Accuracy', Accuracy as never],
  ['BinaryAccuracy', BinaryAccuracy as never],
  ['CategoricalAccuracy', CategoricalAccuracy],
  ['SparseCategoricalAccuracy', SparseCategoricalAccuracy],
  ['MeanSquaredError', MeanSquaredError],
  ['MeanAbsoluteError', MeanAbsoluteError],
  ['Precision', Precision as never],
  ['Recall', Recall as never],
  ['Perplexity', Perplexity as never],
  ['CategoricalCrossentropy', CategoricalCrossentropyMetric as never],
  ['SparseCategoricalCrossentropy', SparseCategoricalCrossentropyMetric as never],
  ['BinaryCrossentropy', BinaryCrossentropyMetric as never],
]);

export const METRIC_NAMES: readonly string[] = [
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'mse',
  'mean_squared_error',
  'mae',
  'mean_absolute_error',
  'precision',
  'recall',
  'perplexity',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'binary_crossentropy',
];

/**
 * Keras's serialized `MeanMetricWrapper` {fn: "sparse_categorical_accuracy", name: "accuracy"} (how Keras 2.11+
 * and Keras 3 store a metric asked for by name): the metric `fn` names, logged under `name`.
 */
function wrappedMetric(config: Record<string, unknown>, loss: Loss | null | undefined, where: string): Metric {
  const fn = config.fn;
  const factory = typeof fn === 'string' ? METRIC_FACTORIES.get(normaliseName(fn)) : undefined;
  if (!factory) {
    throw new Error(`${where}: MeanMetricWrapper of ${JSON.stringify(fn)}: not a known metric function${typeof fn === 'string' ? didYouMean(fn, METRIC_NAMES) : ''}. Known: ${METRIC_NAMES.join(', ')}.`);
  }
  return factory(typeof config.name === 'string' ? config.name : (fn as string), lossHint(loss));
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/**
 * The Metric for an identifier. `loss` is the loss of the same output: it decides which accuracy
 * 'accuracy' means and whether 'perplexity' reads logits.
 */
export function getMetric(identifier: MetricIdentifier, loss?: Loss | null, where = 'metrics'): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier, identifier.name || 'metric', 'down');
  if (typeof identifier === 'string') {
    const factory = METRIC_FACTORIES.get(normaliseName(identifier));
    if (!factory) {
      throw new Error(`${where}: unknown metric '${shortText(identifier)}'${didYouMean(identifier, METRIC_NAMES)}. Known metrics: ${METRIC_NAMES.join(', ')}.`);
    }
    return factory(identifier, lossHint(loss));
  }
  if (identifier !== null && typeof identifier === 'object' && identifier.className === 'MeanMetricWrapper') {
    return wrappedMetric(identifier.config ?? {}, loss, where);
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const cls = METRIC_CLASSES.get(identifier.className);
    if (!cls) {
      throw new Error(
        `${where}: unknown metric class '${shortText(identifier.className)}'${didYouMean(identifier.className, [...METRIC_CLASSES.keys()])}. ` +
          `Known: ${[...METRIC_CLASSES.keys()].join(', ')}.`,
      );
    }
    return new cls(identifier.config ?? {});
  }
  throw new Error(`${where}: expected a metric name, a Metric object, a function (yTrue, yPred) => tensor or {className, config}; got ${describeValue(identifier)}.`);
}
