import { describeValue } from '../config/describe_value';
import { didYouMean } from '../data/nearest_name';
import type { SerializedObject } from '../initializers/initializer';
import { L1, L1L2, L2, Regularizer } from './regularizer';

export { L1, L1L2, L2, Regularizer } from './regularizer';

/* eslint-disable @typescript-eslint/no-explicit-any */
const CLASSES = new Map<string, new (args?: any) => Regularizer>([['l1', L1], ['l2', L2], ['l1l2', L1L2]]);

export type RegularizerIdentifier = string | SerializedObject | Regularizer;

function lookup(name: string): (new (args?: any) => Regularizer) | undefined {
  return CLASSES.get(name.replace(/_/g, '').toLowerCase());
}

/** Resolves `'l2'`, `'l1_l2'`, `{className: 'L2', config: {l2: 0.001}}` or an instance. */
export function getRegularizer(identifier: RegularizerIdentifier): Regularizer {
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') {
    const cls = lookup(identifier);
    if (!cls) throw new Error(`Unknown regularizer ${describeValue(identifier)}${didYouMean(identifier, ['l1', 'l2', 'l1_l2'])}; known: l1, l2, l1_l2.`);
    return new cls();
  }
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const cls = lookup(identifier.className);
    if (!cls) throw new Error(`Unknown regularizer class ${describeValue(identifier.className)}${didYouMean(identifier.className, ['L1', 'L2', 'L1L2'])}; known: L1, L2, L1L2.`);
    return new cls({ ...(identifier.config ?? {}) });
  }
  throw new Error(`Expected a regularizer name, {className, config} or Regularizer, got ${describeValue(identifier)}.`);
}

export function serializeRegularizer(regularizer: Regularizer): SerializedObject {
  return regularizer.serialize();
}

/** Factory functions: `regularizers.l2({ l2: 1e-4 })`. */
export const regularizers = {
  l1: (args: { l1?: number } = {}) => new L1(args),
  l2: (args: { l2?: number } = {}) => new L2(args),
  l1l2: (args: { l1?: number; l2?: number } = {}) => new L1L2(args),
};
