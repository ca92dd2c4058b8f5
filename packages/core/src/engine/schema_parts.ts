import { z } from 'zod';
import { describeValue } from '../config/describe_value';
import { getActivation, type ActivationIdentifier } from '../activations/activations';
import { getConstraint, type ConstraintIdentifier } from '../constraints';
import { getInitializer, type InitializerIdentifier } from '../initializers/lookup';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers';

/** Shared zod pieces of layer argument schemas. Messages say what was expected and what was given. */

/** The found value in a message, bounded (a list of millions of items is not printed). */
const show = describeValue;

export const positiveInt = () =>
  z.number({ error: (iss) => `expected a positive integer, got ${show(iss.input)}` })
    .refine((v) => Number.isInteger(v) && v > 0, { error: (iss) => `expected a positive integer, got ${show(iss.input)}` });

export const nonNegativeInt = () =>
  z.number({ error: (iss) => `expected a non-negative integer, got ${show(iss.input)}` })
    .refine((v) => Number.isInteger(v) && v >= 0, { error: (iss) => `expected a non-negative integer, got ${show(iss.input)}` });

export const integer = () =>
  z.number({ error: (iss) => `expected an integer, got ${show(iss.input)}` })
    .refine((v) => Number.isInteger(v), { error: (iss) => `expected an integer, got ${show(iss.input)}` });

export const finiteNumber = () =>
  z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` })
    .refine((v) => Number.isFinite(v), { error: (iss) => `expected a finite number, got ${show(iss.input)}` });

/** A probability of dropping: 0 <= rate < 1. */
export const rate = () =>
  z.number({ error: (iss) => `expected a number in [0, 1), got ${show(iss.input)}` })
    .refine((v) => v >= 0 && v < 1, { error: (iss) => `expected a number in [0, 1), got ${show(iss.input)}` });

/** A seed for a random generator, or null for "draw one from the global seed". */
export const seedSchema = () => integer().nullable();

const dimension = z.union([positiveInt(), z.null()]);

/**
 * Most dimensions a shape may have. Keras sets no bound, but a tensor of a recurrent model has a handful
 * of dimensions; the bound lets a crafted shape of millions of entries fail at once, with one message.
 */
export const MAX_SHAPE_RANK = 32;

/** A list of dimensions of at most MAX_SHAPE_RANK entries (checked before the entries). */
export const boundedShape = <T extends z.ZodType>(dimension: T) =>
  z.array(dimension, { error: (iss) => `expected an array of positive integers or null, got ${show(iss.input)}` })
    .max(MAX_SHAPE_RANK, { error: (iss) => `expected at most ${MAX_SHAPE_RANK} dimensions, got ${show(iss.input)}` });

/** A shape whose unknown dimensions are null, e.g. `[null, 10]`. */
export const shapeSchema = boundedShape(dimension);

export const dtypeSchema = z.enum(['float32', 'int32'], { error: (iss) => `expected "float32" or "int32", got ${show(iss.input)}` });

/** The dtype of a model input, or of what a preprocessing layer reads: a layer dtype, or 'string' (raw text). */
export const inputDtypeSchema = z.enum(['float32', 'int32', 'string'], { error: (iss) => `expected "float32", "int32" or "string", got ${show(iss.input)}` });

/** Builds a schema that accepts whatever `resolve` accepts, with `resolve`'s own error message on failure. */
function resolvable<T>(resolve: (v: T) => unknown) {
  const message = (v: unknown): string => {
    try {
      resolve(v as T);
      return 'invalid value';
    } catch (e) {
      return (e as Error).message.replace(/\.$/, '');
    }
  };
  return z.custom<T>((v) => {
    try {
      resolve(v as T);
      return true;
    } catch {
      return false;
    }
  }, { error: (iss) => message(iss.input) });
}

/** An activation name (`'relu'`, `'hard_sigmoid'`), a function `(x) => y`, or null (linear). */
export const activationSchema = resolvable<ActivationIdentifier>((v) => getActivation(v));
/** An initializer name (`'glorotUniform'` / `'glorot_uniform'`), `{className, config}` or an Initializer. */
export const initializerSchema = resolvable<InitializerIdentifier>((v) => getInitializer(v));
/** A regularizer name (`'l2'`), `{className, config}` or a Regularizer; null for none. */
export const regularizerSchema = resolvable<RegularizerIdentifier>((v) => getRegularizer(v)).nullable();
/** A constraint name (`'maxNorm'`), `{className, config}` or a Constraint; null for none. */
export const constraintSchema = resolvable<ConstraintIdentifier>((v) => getConstraint(v)).nullable();

/** Arguments every layer accepts (Keras base-layer keyword arguments). */
export const baseLayerArgsSchema = z.object({
  name: z.string({ error: (iss) => `expected a string, got ${show(iss.input)}` }).min(1, { error: 'expected a non-empty string' }).optional(),
  trainable: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
  /** Input shape without the batch dimension. */
  inputShape: shapeSchema.nullish(),
  /** Input shape with the batch dimension (null when free). */
  batchInputShape: shapeSchema.nullish(),
  batchSize: positiveInt().nullish(),
  dtype: dtypeSchema.nullish(),
  activityRegularizer: regularizerSchema.optional(),
});

/** Levenshtein distance, to suggest the intended name of a misspelt argument. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function knownKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Turns zod issues into one message: `Dense: units: expected a positive integer, got -3`. */
export function formatArgsError(owner: string, schema: z.ZodType, error: z.ZodError, args?: unknown): string {
  const known = knownKeys(schema);
  const parts = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const close = known.filter((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
        const hint = close.length ? ` (did you mean ${close.map((k) => JSON.stringify(k)).join(' or ')}?)` : '';
        return `unknown argument ${JSON.stringify(key)}${hint}; known arguments: ${known.join(', ')}`;
      }).join('; ');
    }
    const path = issue.path.map(String).join('.');
    if (path && valueAt(args, issue.path) === undefined) {
      // A missing required argument: say so, keeping what was expected when the message tells it.
      const expected = issue.message.startsWith('Invalid input') ? '' : `: ${issue.message.replace(/, got undefined$/, '')}`;
      return `${path}: required${expected}`;
    }
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return `${owner}: ${parts.join('; ')}`;
}

/**
 * Argument objects this module produced, with the schema that validated them. A layer that builds
 * another from its own arguments (LSTM its LSTMCell and its RNN base) hands over such an object, so
 * each argument is validated once, where the outermost layer is constructed.
 */
const validatedBy = new WeakMap<object, z.ZodType>();

/** Validates constructor arguments against a layer's schema; throws an Error naming the layer and argument. */
export function parseLayerArgs<S extends z.ZodType>(owner: string, schema: S, args: unknown): z.output<S> {
  if (args !== null && typeof args === 'object' && validatedBy.get(args) === schema) return args as z.output<S>;
  if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
    throw new Error(`${owner}: expected an object of arguments, got ${show(args)}.`);
  }
  const result = schema.safeParse(args ?? {});
  if (!result.success) throw new Error(formatArgsError(owner, schema, result.error, args ?? {}));
  if (result.data !== null && typeof result.data === 'object') validatedBy.set(result.data, schema);
  return result.data;
}

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * The arguments `target` declares, taken from `args` (which `source` validated) and from `given` (values
 * `source` does not hold, validated here by `target`'s own field schemas), as an object `parseLayerArgs`
 * accepts for `target` without validating it again. A field both schemas declare must be the very same
 * zod schema (`extend` and `pick` keep them), so what `source` checked is what `target` would check.
 */
export function pickValidatedArgs<T extends ObjectSchema>(
  args: object,
  source: ObjectSchema,
  target: T,
  given: Record<string, unknown> = {},
): z.output<T> {
  if (validatedBy.get(args) !== source) throw new Error('pickValidatedArgs: the arguments were not validated by the source schema.');
  const from = args as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(target.shape)) {
    if (Object.prototype.hasOwnProperty.call(given, key)) {
      picked[key] = (field as z.ZodType).parse(given[key]);
    } else if (from[key] !== undefined) {
      if (source.shape[key] !== field) throw new Error(`pickValidatedArgs: the two schemas validate ${JSON.stringify(key)} differently.`);
      picked[key] = from[key];
    }
  }
  validatedBy.set(picked, target);
  return picked as z.output<T>;
}
