import { z } from 'zod';
import { snakeCaseJsonSchema } from '@recurrent/core';
import { experimentSchema } from './experiment_schema';

/** Where the generated schema lives in the repository (kept in sync by a test). */
export const EXPERIMENT_SCHEMA_DOC = 'docs/schema/experiment.schema.json';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of experiment files, generated from the zod schema (input side: defaults optional), in the files' snake_case. */
export function experimentJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(experimentSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  const { $schema, ...rest } = snakeCaseJsonSchema(generated) as JsonSchema;
  return { $schema, title: 'recurrent experiment', ...rest };
}

export function experimentJsonSchemaText(): string {
  return JSON.stringify(experimentJsonSchema(), null, 2) + '\n';
}
