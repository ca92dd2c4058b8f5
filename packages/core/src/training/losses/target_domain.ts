/**
 * The targets a cross-entropy loss can learn from. Binary and categorical cross-entropy take
 * probabilities (0/1 labels, one-hot rows) and sparse categorical cross-entropy class ids; targets
 * outside that domain (normalized values, negative numbers) give a loss that trains towards nonsense
 * without any error, so fit refuses them up front.
 */
import type { Loss } from './loss';
import { AutoCrossentropy } from './auto_crossentropy';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy';

/** The loss's name in Keras's spelling, for messages. */
function lossName(loss: Loss): string {
  if (loss instanceof BinaryCrossentropy) return 'binary_crossentropy';
  if (loss instanceof CategoricalCrossentropy) return 'categorical_crossentropy';
  if (loss instanceof SparseCategoricalCrossentropy) return 'sparse_categorical_crossentropy';
  return 'crossentropy';
}

function range(values: ArrayLike<number>): { min: number; max: number; fractional: number | undefined } {
  let min = Infinity;
  let max = -Infinity;
  let fractional: number | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return { min: NaN, max: NaN, fractional };
    if (v < min) min = v;
    if (v > max) max = v;
    if (fractional === undefined && !Number.isInteger(v)) fractional = v;
  }
  return { min, max, fractional };
}

const round = (v: number) => Number(v.toPrecision(4));

/** Why `loss` cannot learn from targets with these values, or null when it can (or is no cross-entropy). */
export function targetDomainProblem(loss: Loss, values: ArrayLike<number>): string | null {
  const isProbabilities = loss instanceof BinaryCrossentropy || loss instanceof CategoricalCrossentropy;
  const isClassIds = loss instanceof SparseCategoricalCrossentropy;
  if ((!isProbabilities && !isClassIds && !(loss instanceof AutoCrossentropy)) || values.length === 0) return null;
  const { min, max, fractional } = range(values);
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    return `the targets hold NaN or infinite values, which ${lossName(loss)} cannot learn from`;
  }
  const found = `the targets range from ${round(min)} to ${round(max)}`;
  const regression = 'or use a regression loss such as mean_squared_error for real-valued targets';
  if (isProbabilities && (min < 0 || max > 1)) {
    return `${found}, but ${lossName(loss)} needs targets in [0, 1] (0/1 labels, probabilities or one-hot rows); give the targets unscaled, ${regression}`;
  }
  if (isClassIds && (min < 0 || fractional !== undefined)) {
    return `${found}${fractional !== undefined ? ` (${round(fractional)} is not a whole number)` : ''}, but ${lossName(loss)} needs class ids 0, 1, 2, ...; give the targets unscaled, ${regression}`;
  }
  if (!isProbabilities && !isClassIds && (min < 0 || (max > 1 && fractional !== undefined))) {
    return `${found}, but crossentropy needs 0/1 labels, probabilities or class ids 0, 1, 2, ...; give the targets unscaled, ${regression}`;
  }
  return null;
}
