/**
 * JSON Schema files generated from the zod schemas, in the snake_case spelling of the JSON files, so editors
 * complete and check configs through `"$schema"`. `docs/schema/*.json` are these files checked in; a test
 * regenerates them and fails when they differ (run it with UPDATE_SCHEMAS=1 to rewrite them).
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { activationNames } from '../activations';
import { activationSchema, constraintSchema, initializerSchema, regularizerSchema } from '../engine/schema_parts';
import { snakeCaseJsonSchema } from './case_conversion';
import { compileConfigSchema } from './compile_schema';
import { fitConfigSchema } from './fit_schema';
import { layerEntrySchema, modelDocumentSchema } from './model_schema';

type JsonSchema = Record<string, unknown>;

const SCHEMA_BASE_URL = 'https://recurrent.dev/schema/';

const serializedObject = (what: string): JsonSchema => ({
  type: 'object',
  description: `a Keras ${what} {"class_name": ..., "config": {...}}`,
  properties: { class_name: { type: 'string' }, config: { type: 'object' }, module: { type: 'string' }, registered_name: { type: ['string', 'null'] } },
  required: ['class_name'],
});

/** JSON Schema for the parts validated by code (activation names, Keras objects), which zod cannot describe. */
function overrideCustom(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const s = ctx.zodSchema;
  const replace = (schema: JsonSchema) => {
    for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
    Object.assign(ctx.jsonSchema, schema);
  };
  if (s === activationSchema) replace({ anyOf: [{ type: 'string', enum: [...activationNames(), 'hard_sigmoid_legacy'].filter((v, i, a) => a.indexOf(v) === i) }, { type: 'null' }] });
  else if (s === initializerSchema) replace({ anyOf: [{ type: 'string' }, serializedObject('initializer')] });
  else if (s === regularizerSchema) replace({ anyOf: [{ type: 'string' }, serializedObject('regularizer'), { type: 'null' }] });
  else if (s === constraintSchema) replace({ anyOf: [{ type: 'string' }, serializedObject('constraint'), { type: 'null' }] });
}

function toJsonSchema(schema: z.ZodType, id: string, title: string): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
    reused: 'ref',
    override: overrideCustom as never,
  }) as JsonSchema;
  const snake = snakeCaseJsonSchema(generated) as JsonSchema;
  // Files may point at their schema with "$schema"; allow that key at the top.
  if (snake.type === 'object' && snake.properties && typeof snake.properties === 'object') {
    (snake.properties as JsonSchema).$schema = { type: 'string' };
  }
  return { ...snake, $id: `${SCHEMA_BASE_URL}${id}`, title };
}

/** The four schema documents, by file name. */
export function generateSchemas(): Record<string, JsonSchema> {
  return {
    'model.schema.json': toJsonSchema(modelDocumentSchema(), 'model.schema.json', 'Keras model config (Sequential or Functional)'),
    'layer.schema.json': toJsonSchema(layerEntrySchema(), 'layer.schema.json', 'Keras layer config'),
    'compile.schema.json': toJsonSchema(compileConfigSchema, 'compile.schema.json', 'compile options'),
    'fit.schema.json': toJsonSchema(fitConfigSchema, 'fit.schema.json', 'fit options'),
  };
}

/** Serializes a schema document the way the checked-in files are written. */
export function formatSchemaFile(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Writes every schema file into `dir`; returns the paths written. */
export function writeSchemaFiles(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(generateSchemas()).map(([name, schema]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, formatSchemaFile(schema));
    return file;
  });
}
