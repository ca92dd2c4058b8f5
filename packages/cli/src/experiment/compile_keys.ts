import { snakeToCamel } from './snake_keys';

/** Keys whose object value is keyed by output names, which keep their spelling. */
const OUTPUT_KEYED = new Set(['loss', 'metrics', 'lossWeights', 'weightedMetrics']);

function camelDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [snakeToCamel(k), camelDeep(v)]));
}

/** An identifier that is a serialized object ({class_name, config}) rather than a map by output name. */
function isSerialized(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && ('class_name' in value || 'className' in value);
}

/**
 * The compile section in the library's spelling: `loss_weights` -> `lossWeights`, serialized objects
 * `{"class_name": "Adam", "config": {"learning_rate": 0.01}}` -> `{className, config: {learningRate}}`,
 * while maps keyed by output name keep their keys.
 */
export function compileSectionToCamel(section: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    const camel = snakeToCamel(key);
    if (OUTPUT_KEYED.has(camel) && value !== null && typeof value === 'object' && !Array.isArray(value) && !isSerialized(value)) {
      out[camel] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, v]) => [name, camelDeep(v)]));
    } else {
      out[camel] = camelDeep(value);
    }
  }
  return out;
}
