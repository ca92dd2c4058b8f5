import { z } from 'zod';
import { experimentSchema } from './experiment_schema';
import { camelToSnake } from './snake_keys';

/** Where the generated schema lives in the repository (kept in sync by a test). */
export const EXPERIMENT_SCHEMA_DOC = 'docs/schema/experiment.schema.json';

type JsonSchema = Record<string, unknown>;

/** Section keys are written in snake_case in files (as Keras writes `batch_size`); the schema says so. */
function snakeCaseProperties(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeCaseProperties(v, depth));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(value as JsonSchema)) {
    if (key === 'properties' && inner !== null && typeof inner === 'object') {
      out[key] = Object.fromEntries(Object.entries(inner as JsonSchema).map(([k, v]) => [camelToSnake(k), snakeCaseProperties(v, depth + 1)]));
    } else if (key === 'default' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      out[key] = Object.fromEntries(Object.entries(inner as JsonSchema).map(([k, v]) => [camelToSnake(k), v]));
    } else if (key === 'required' && Array.isArray(inner)) {
      out[key] = inner.map((k) => (typeof k === 'string' ? camelToSnake(k) : k));
    } else {
      out[key] = snakeCaseProperties(inner, depth);
    }
  }
  return out;
}

/** The JSON Schema of experiment files, generated from the zod schema (input side: defaults optional). */
export function experimentJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(experimentSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  const { $schema, ...rest } = snakeCaseProperties(generated, 0) as JsonSchema;
  return { $schema, title: 'recurrent experiment', ...rest };
}

export function experimentJsonSchemaText(): string {
  return JSON.stringify(experimentJsonSchema(), null, 2) + '\n';
}
