/** Optimizers by name ('adam', 'rmsprop', ...), by `{className, config}`, or as objects. */
import { describeValue, shortText } from '../../config/describe_value';
import { didYouMean } from '../../data/nearest_name';
import { Optimizer } from './optimizer';
import { SGD } from './sgd';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { RMSprop } from './rmsprop';
import { Adagrad } from './adagrad';

export type SerializedOptimizer = { className: string; config?: Record<string, unknown> };
export type OptimizerIdentifier = string | Optimizer | SerializedOptimizer;

const FROM_CONFIG = new Map<string, (config: Record<string, unknown>) => Optimizer>([
  ['sgd', SGD.fromConfig],
  ['adam', Adam.fromConfig],
  ['adamw', AdamW.fromConfig],
  ['rmsprop', RMSprop.fromConfig],
  ['adagrad', Adagrad.fromConfig],
]);

export const OPTIMIZER_NAMES: readonly string[] = [...FROM_CONFIG.keys()];

/** A fresh optimizer (Keras defaults) for a name, or the given object. */
export function getOptimizer(identifier: OptimizerIdentifier, where = 'optimizer'): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const className = typeof identifier === 'string' ? identifier : identifier?.className;
  if (typeof className !== 'string') {
    throw new Error(`${where}: expected an optimizer name (${OPTIMIZER_NAMES.join(', ')}), an Optimizer or {className, config}; got ${describeValue(identifier)}.`);
  }
  const make = FROM_CONFIG.get(className.toLowerCase());
  if (!make) {
    throw new Error(`${where}: unknown optimizer '${shortText(className)}'${didYouMean(className.toLowerCase(), OPTIMIZER_NAMES)}. Known optimizers: ${OPTIMIZER_NAMES.join(', ')}.`);
  }
  return make(typeof identifier === 'string' ? {} : (identifier.config ?? {}));
}
