/**
 * The zod schema of each registered layer's constructor arguments (camelCase). Each layer file exports its
 * schema next to its class as `<className>ArgsSchema` (`denseArgsSchema`, `lstmArgsSchema`); this module pairs
 * them with the layer registry, so the registry-wide layer union is always the set of layers that exist.
 */
import { z } from 'zod';
import * as engineModule from '../engine';
import * as layersModule from '../layers';
import { getLayerClass, layerClassNames } from '../engine/registry';

const explicit = new Map<string, z.ZodType>();

// StackedRNNCells validates its cells itself and exports no schema; its config is the list of cells,
// each read with its own class's schema by the config reader.
explicit.set('StackedRNNCells', engineModule.baseLayerArgsSchema.extend({ cells: z.array(z.unknown()).min(1) }).strict());

/** Declares the argument schema of a layer class whose schema is not exported under the usual name. */
export function registerLayerArgsSchema(className: string, schema: z.ZodType): void {
  explicit.set(className, schema);
}

function normalize(name: string): string {
  return name.replace(/[^a-zA-Z0-9]/g, '').toLowerCase();
}

let discovered: Map<string, z.ZodType> | undefined;

/** Exported `...ArgsSchema` values of the engine and layer modules, keyed by normalized class name. */
function discoveredSchemas(): Map<string, z.ZodType> {
  if (discovered) return discovered;
  discovered = new Map();
  for (const namespace of [engineModule, layersModule] as Record<string, unknown>[]) {
    for (const [exportName, value] of Object.entries(namespace)) {
      if (!exportName.endsWith('ArgsSchema') || value === null || typeof value !== 'object') continue;
      discovered.set(normalize(exportName.slice(0, -'ArgsSchema'.length)), value as z.ZodType);
    }
  }
  return discovered;
}

/** The argument schema of a registered layer class (by Keras class name), or undefined. */
export function layerArgsSchema(className: string): z.ZodType | undefined {
  const own = explicit.get(className);
  if (own) return own;
  const cls = getLayerClass(className) as unknown as { argsSchema?: z.ZodType; className?: string } | undefined;
  if (!cls) return undefined;
  if (cls.argsSchema) return cls.argsSchema;
  const schemas = discoveredSchemas();
  // An alias (a Keras 2 name) resolves to the class's own className first.
  return schemas.get(normalize(cls.className ?? className)) ?? schemas.get(normalize(className));
}

/** Every registered layer class name with its schema, for the registry-wide union and JSON Schema. */
export function allLayerArgsSchemas(): { className: string; schema: z.ZodType }[] {
  const out: { className: string; schema: z.ZodType }[] = [];
  for (const className of layerClassNames()) {
    const schema = layerArgsSchema(className);
    if (schema) out.push({ className, schema });
  }
  return out;
}
