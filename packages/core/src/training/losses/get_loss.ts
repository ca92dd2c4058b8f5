/** Losses by name ('mse', 'categorical_crossentropy', 'sparseCategoricalCrossentropy', ...), object or function. */
import type * as tf from '@tensorflow/tfjs';
import { describeValue, shortText } from '../../config/describe_value';
import { didYouMean } from '../../data/nearest_name';
import { Loss, LossFunctionWrapper, type LossArgs } from './loss';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy';
import { Huber, MeanAbsoluteError, MeanSquaredError } from './regression';
import { AutoCrossentropy } from './auto_crossentropy';

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
export type SerializedLoss = { className: string; config?: Record<string, unknown> };
export type LossIdentifier = string | Loss | LossFn | SerializedLoss;

type LossClass = new (args?: LossArgs & Record<string, unknown>) => Loss;

const LOSS_CLASSES = new Map<string, LossClass>([
  ['CategoricalCrossentropy', CategoricalCrossentropy],
  ['SparseCategoricalCrossentropy', SparseCategoricalCrossentropy],
  ['BinaryCrossentropy', BinaryCrossentropy],
  ['MeanSquaredError', MeanSquaredError],
  ['MeanAbsoluteError', MeanAbsoluteError],
  ['Huber', Huber],
  ['AutoCrossentropy', AutoCrossentropy],
]);

/** Spellings accepted for each loss, compared after lower-casing and dropping underscores. */
const LOSS_ALIASES = new Map<string, LossClass>([
  ['categoricalcrossentropy', CategoricalCrossentropy],
  ['sparsecategoricalcrossentropy', SparseCategoricalCrossentropy],
  ['binarycrossentropy', BinaryCrossentropy],
  ['meansquarederror', MeanSquaredError],
  ['mse', MeanSquaredError],
  ['meanabsoluteerror', MeanAbsoluteError],
  ['mae', MeanAbsoluteError],
  ['huber', Huber],
  ['huberloss', Huber],
  ['crossentropy', AutoCrossentropy],
  ['ce', AutoCrossentropy],
]);

export const LOSS_NAMES: readonly string[] = [
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'binary_crossentropy',
  'mean_squared_error',
  'mse',
  'mean_absolute_error',
  'mae',
  'huber',
  'crossentropy',
];

function normalise(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** The Loss object for an identifier; `where` names the argument in error messages. */
export function getLoss(identifier: LossIdentifier, where = 'loss'): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  if (typeof identifier === 'string') {
    const cls = LOSS_ALIASES.get(normalise(identifier));
    if (!cls) {
      throw new Error(`${where}: unknown loss '${shortText(identifier)}'${didYouMean(identifier, LOSS_NAMES)}. Known losses: ${LOSS_NAMES.join(', ')}.`);
    }
    return new cls({ name: identifier });
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const cls = LOSS_CLASSES.get(identifier.className) ?? LOSS_ALIASES.get(normalise(identifier.className));
    if (!cls) {
      throw new Error(
        `${where}: unknown loss class '${shortText(identifier.className)}'${didYouMean(identifier.className, [...LOSS_CLASSES.keys()])}. ` +
          `Known: ${[...LOSS_CLASSES.keys()].join(', ')}.`,
      );
    }
    return new cls(identifier.config ?? {});
  }
  throw new Error(`${where}: expected a loss name, a Loss object, a function (yTrue, yPred) => tensor or {className, config}; got ${describeValue(identifier)}.`);
}
