/** Reading the structure of zod schemas: the keys an object schema knows, through its wrappers. */
import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  getter?: () => z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Peels optional/nullable/default/pipe/lazy wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 32; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return s;
  }
  return s;
}

/** The property schemas of an object schema (through wrappers), or undefined when it is not an object. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const inner = unwrapSchema(schema);
  const def = defOf(inner);
  return def.type === 'object' ? (def.shape as Record<string, z.ZodType>) : undefined;
}

/** The keys an object schema accepts ([] when it is not an object schema). */
export function knownKeys(schema: z.ZodType): string[] {
  return Object.keys(objectShape(schema) ?? {});
}

/** True when the schema accepts null (so a null in a file is a real value, not "use the default"). */
export function acceptsNull(schema: z.ZodType): boolean {
  return schema.safeParse(null).success;
}
