/**
 * The one home of snake_case <-> camelCase. Keys change between Keras JSON (snake_case:
 * `return_sequences`) and the TypeScript configs (camelCase: `returnSequences`); class names become
 * Keras's default layer names (`SimpleRNN` -> `simple_rnn`); JSON Schemas generated from the camelCase
 * zod schemas are renamed for the files. String values (layer names, enum values such as 'fan_avg')
 * are kept as written, because the layer schemas use Keras's own value spellings.
 */

/** Keras keys whose camelCase form loses the underscore before a digit; listed so both directions agree. */
const IRREGULAR_SNAKE = new Map<string, string>([
  ['beta1', 'beta_1'],
  ['beta2', 'beta_2'],
]);

/** `return_sequences` -> `returnSequences`, `beta_1` -> `beta1`; camelCase input is returned unchanged. */
export function toCamelCase(key: string): string {
  if (!key.includes('_')) return key;
  // A leading underscore marks a private Python attribute; keep it rather than produce an uppercase key.
  const lead = key.match(/^_+/)?.[0] ?? '';
  return lead + key.slice(lead.length).replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Keras's to_snake_case: `returnSequences` -> `return_sequences`, `l1L2` -> `l1_l2`, `beta1` -> `beta_1`,
 * and for class names `SimpleRNN` -> `simple_rnn`, `GlobalAveragePooling1D` -> `global_average_pooling1d`.
 * snake_case input is returned unchanged.
 */
export function toSnakeCase(name: string): string {
  const irregular = IRREGULAR_SNAKE.get(name);
  if (irregular !== undefined) return irregular;
  return name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Keys whose object value is keyed by user names (output names of a multi-output model), which must
 * keep their spelling: `{"loss": {"next_char": "mse"}}` names the output `next_char`.
 */
const USER_KEYED_OBJECTS = new Set(['loss', 'metrics', 'lossWeights', 'loss_weights', 'weightedMetrics', 'weighted_metrics']);

type Json = unknown;

/** A serialized object ({class_name, config}), not a map by output name. */
function isSerialized(value: Record<string, Json>): boolean {
  return 'class_name' in value || 'className' in value;
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function convertKeysDeep(value: Json, convert: (key: string) => string): Json {
  if (Array.isArray(value)) return value.map((item) => (item !== null && typeof item === 'object' ? convertKeysDeep(item, convert) : item));
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(value)) {
    const converted =
      USER_KEYED_OBJECTS.has(key) && isObject(inner) && !isSerialized(inner)
        ? Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, convertKeysDeep(v, convert)]))
        : convertKeysDeep(inner, convert);
    // Defined, not assigned: a key named __proto__ stays a key.
    Object.defineProperty(out, convert(key), { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Deep copy with every object key in camelCase (`class_name` -> `className`), output names kept. */
export function keysToCamel(value: Json): Json {
  return convertKeysDeep(value, toCamelCase);
}

/** Deep copy with every object key in snake_case (`className` -> `class_name`), output names kept. */
export function keysToSnake(value: Json): Json {
  return convertKeysDeep(value, toSnakeCase);
}

/**
 * A JSON Schema generated from a camelCase zod schema, renamed for files written in snake_case: the
 * names of `properties`, the entries of `required`, and the keys of object `default`s.
 */
export function snakeCaseJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(snakeCaseJsonSchema);
  if (!isObject(schema)) return schema;
  const out: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(schema)) {
    if (key === 'properties' && isObject(inner)) {
      out[key] = Object.fromEntries(Object.entries(inner).map(([k, v]) => [toSnakeCase(k), snakeCaseJsonSchema(v)]));
    } else if (key === 'required' && Array.isArray(inner)) {
      out[key] = inner.map((k) => (typeof k === 'string' ? toSnakeCase(k) : k));
    } else if (key === 'default' && isObject(inner)) {
      out[key] = Object.fromEntries(Object.entries(inner).map(([k, v]) => [toSnakeCase(k), v]));
    } else {
      out[key] = snakeCaseJsonSchema(inner);
    }
  }
  return out;
}
