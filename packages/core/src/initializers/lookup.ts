import { describeValue } from '../config/describe_value';
import { didYouMean } from '../data/nearest_name';
import { Initializer, type SerializedObject } from './initializer';
import { Constant, Identity, Ones, Zeros } from './constant_initializers';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random_initializers';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LeCunNormal, LeCunUniform, VarianceScaling } from './variance_scaling';
import { Orthogonal } from './orthogonal';

/* eslint-disable @typescript-eslint/no-explicit-any */
type InitializerClass = (new (args?: any) => Initializer) & { className: string };

const CLASSES: InitializerClass[] = [Zeros, Ones, Constant, Identity, RandomNormal, RandomUniform, TruncatedNormal,
  VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LeCunNormal, LeCunUniform, Orthogonal];

/** Extra spellings seen in Keras 2, Keras 3 and tfjs configs. */
const ALIASES = new Map<string, InitializerClass>([
  ['zero', Zeros], ['one', Ones], ['identityinitializer', Identity], ['orthogonalinitializer', Orthogonal],
  ['normal', RandomNormal], ['uniform', RandomUniform],
]);

/** `glorot_uniform`, `glorotUniform` and `GlorotUniform` all become `glorotuniform`. */
export function normalizeName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

function lookupClass(name: string): InitializerClass | undefined {
  const key = normalizeName(name);
  return CLASSES.find((c) => normalizeName(c.className) === key) ?? ALIASES.get(key);
}

/** Anything that names an initializer: a name, a serialized `{className, config}`, or an instance. */
export type InitializerIdentifier = string | SerializedObject | Initializer;

/** Resolves a name (`'glorotUniform'`, `'glorot_uniform'`), a `{className, config}` or an instance. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') {
    const cls = lookupClass(identifier);
    if (!cls) throw new Error(`Unknown initializer ${describeValue(identifier)}${didYouMean(identifier, initializerNames())}; known: ${initializerNames().join(', ')}.`);
    return new cls();
  }
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const cls = lookupClass(identifier.className);
    if (!cls) throw new Error(`Unknown initializer class ${describeValue(identifier.className)}${didYouMean(identifier.className, initializerNames())}; known: ${initializerNames().join(', ')}.`);
    return new cls({ ...(identifier.config ?? {}) });
  }
  throw new Error(`Expected an initializer name, {className, config} or Initializer, got ${describeValue(identifier)}.`);
}

/** The serialized form `{className, config}` of an initializer. */
export function serializeInitializer(initializer: Initializer): SerializedObject {
  return initializer.serialize();
}

/** Keras class names of every known initializer. */
export function initializerNames(): string[] {
  return CLASSES.map((c) => c.className);
}
