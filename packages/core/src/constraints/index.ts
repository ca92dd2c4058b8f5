import { describeValue } from '../config/describe_value';
import { didYouMean } from '../data/nearest_name';
import type { SerializedObject } from '../initializers/initializer';
import { Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './constraint';

export { Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './constraint';

/* eslint-disable @typescript-eslint/no-explicit-any */
const CLASSES = new Map<string, new (args?: any) => Constraint>([
  ['maxnorm', MaxNorm], ['nonneg', NonNeg], ['unitnorm', UnitNorm], ['minmaxnorm', MinMaxNorm],
]);

export type ConstraintIdentifier = string | SerializedObject | Constraint;

function lookup(name: string): (new (args?: any) => Constraint) | undefined {
  return CLASSES.get(name.replace(/_/g, '').toLowerCase());
}

/** Resolves `'max_norm'`, `'maxNorm'`, `{className: 'MaxNorm', config: {maxValue: 3}}` or an instance. */
export function getConstraint(identifier: ConstraintIdentifier): Constraint {
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string') {
    const cls = lookup(identifier);
    if (!cls) throw new Error(`Unknown constraint ${describeValue(identifier)}${didYouMean(identifier, ['max_norm', 'non_neg', 'unit_norm', 'min_max_norm'])}; known: max_norm, non_neg, unit_norm, min_max_norm.`);
    return new cls();
  }
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const cls = lookup(identifier.className);
    if (!cls) throw new Error(`Unknown constraint class ${describeValue(identifier.className)}${didYouMean(identifier.className, ['MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'])}; known: MaxNorm, NonNeg, UnitNorm, MinMaxNorm.`);
    return new cls({ ...(identifier.config ?? {}) });
  }
  throw new Error(`Expected a constraint name, {className, config} or Constraint, got ${describeValue(identifier)}.`);
}

export function serializeConstraint(constraint: Constraint): SerializedObject {
  return constraint.serialize();
}

/** Factory functions: `constraints.maxNorm({ maxValue: 3 })`. */
export const constraints = {
  maxNorm: (args: { maxValue?: number; axis?: number | number[] } = {}) => new MaxNorm(args),
  nonNeg: () => new NonNeg(),
  unitNorm: (args: { axis?: number | number[] } = {}) => new UnitNorm(args),
  minMaxNorm: (args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) =>
    new MinMaxNorm(args),
};
