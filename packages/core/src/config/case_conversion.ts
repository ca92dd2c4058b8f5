/**
 * Key spelling between Keras JSON (snake_case: `return_sequences`) and the TypeScript configs
 * (camelCase: `returnSequences`). Only keys change; string values (layer names, enum values such as
 * 'fan_avg') are kept as written, because the layer schemas use Keras's own value spellings.
 */

/** Keras keys whose camelCase form loses the underscore before a digit; listed so both directions agree. */
const IRREGULAR_SNAKE: Readonly<Record<string, string>> = { beta1: 'beta_1', beta2: 'beta_2' };

/** `return_sequences` -> `returnSequences`, `beta_1` -> `beta1`; camelCase input is returned unchanged. */
export function toCamelCase(key: string): string {
  if (!key.includes('_')) return key;
  // A leading underscore marks a private Python attribute; keep it rather than produce an uppercase key.
  const lead = key.match(/^_+/)?.[0] ?? '';
  return lead + key.slice(lead.length).replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `returnSequences` -> `return_sequences`, `l1L2` -> `l1_l2`; snake_case input is returned unchanged. */
export function toSnakeCase(key: string): string {
  const irregular = IRREGULAR_SNAKE[key];
  if (irregular !== undefined) return irregular;
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/**
 * Keys whose object value is keyed by user names (output names of a multi-output model), which must
 * keep their spelling: `{"loss": {"next_char": "mse"}}` names the output `next_char`.
 */
const USER_KEYED_OBJECTS = new Set(['loss', 'metrics', 'lossWeights', 'loss_weights', 'weightedMetrics', 'weighted_metrics']);

type Json = unknown;

function convertKeysDeep(value: Json, convert: (key: string) => string): Json {
  if (Array.isArray(value)) return value.map((item) => convertKeysDeep(item, convert));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(value as Record<string, Json>)) {
    const newKey = convert(key);
    if (USER_KEYED_OBJECTS.has(key) && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      out[newKey] = Object.fromEntries(
        Object.entries(inner as Record<string, Json>).map(([k, v]) => [k, convertKeysDeep(v, convert)]),
      );
    } else {
      out[newKey] = convertKeysDeep(inner, convert);
    }
  }
  return out;
}

/** Deep copy with every object key in camelCase (`class_name` -> `className`). */
export function keysToCamel(value: Json): Json {
  return convertKeysDeep(value, toCamelCase);
}

/** Deep copy with every object key in snake_case (`className` -> `class_name`). */
export function keysToSnake(value: Json): Json {
  return convertKeysDeep(value, toSnakeCase);
}
