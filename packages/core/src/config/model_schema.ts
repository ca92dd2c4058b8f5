/**
 * zod schemas of whole model configs (camelCase), assembled from the layer registry: the layer entry is a
 * union with one branch per registered layer class, so a new layer appears here by being registered.
 */
import { z } from 'zod';
import { allLayerArgsSchemas } from './layer_schemas';

const tensorRef = z.tuple([z.string(), z.number().int().min(0), z.number().int().min(0)]);
const inboundRef = z.tuple([z.string(), z.number().int().min(0), z.number().int().min(0), z.record(z.string(), z.unknown())]);

/** Keys Keras 3 writes around every serialized object; accepted and ignored. */
const keras3Wrapper = {
  module: z.string().optional(),
  registeredName: z.string().nullable().optional(),
  buildConfig: z.record(z.string(), z.unknown()).optional(),
};

/** One `{className, config}` per registered layer class (InputLayer included). */
export function layerEntrySchema() {
  const branches = allLayerArgsSchemas().map(({ className, schema }) =>
    z.object({ className: z.literal(className), config: schema, ...keras3Wrapper }).strict());
  if (branches.length === 0) throw new Error('No layer classes are registered; import the layers before building the schema.');
  return z.discriminatedUnion('className', branches as [typeof branches[0], ...typeof branches]);
}

/** A layer of a functional model: the entry plus its name and the calls that feed it. */
export function functionalLayerSchema() {
  const branches = allLayerArgsSchemas().map(({ className, schema }) =>
    z.object({
      className: z.literal(className),
      name: z.string().min(1),
      config: schema,
      inboundNodes: z.array(z.array(inboundRef)),
      ...keras3Wrapper,
    }).strict());
  return z.discriminatedUnion('className', branches as [typeof branches[0], ...typeof branches]);
}

export function sequentialConfigSchema() {
  return z.object({
    className: z.literal('Sequential'),
    config: z.object({ name: z.string().optional(), layers: z.array(layerEntrySchema()) }).strict(),
    kerasVersion: z.string().optional(),
    backend: z.string().optional(),
    ...keras3Wrapper,
  }).strict();
}

export function functionalConfigSchema() {
  return z.object({
    className: z.enum(['Functional', 'Model']),
    config: z.object({
      name: z.string().optional(),
      trainable: z.boolean().optional(),
      layers: z.array(functionalLayerSchema()),
      inputLayers: z.array(tensorRef),
      outputLayers: z.array(tensorRef),
    }).strict(),
    kerasVersion: z.string().optional(),
    backend: z.string().optional(),
    ...keras3Wrapper,
  }).strict();
}

/** Either kind of model document. */
export function modelDocumentSchema() {
  return z.union([sequentialConfigSchema(), functionalConfigSchema()]);
}
