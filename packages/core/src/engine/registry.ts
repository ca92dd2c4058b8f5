import type { LayerClass } from './layer';

/** Layer classes by Keras class name, so configs (`{className, config}`) can be turned back into layers. */
const classes = new Map<string, LayerClass>();

/** Registers a layer class under its `className` (and any aliases, e.g. Keras 2 names). */
export function registerLayer(cls: LayerClass, ...aliases: string[]): void {
  if (!cls.className) throw new Error(`registerLayer: the class ${cls.name} has no static className.`);
  for (const name of [cls.className, ...aliases]) classes.set(name, cls);
}

export function getLayerClass(className: string): LayerClass | undefined {
  return classes.get(className);
}

/** Every registered name, sorted. */
export function layerClassNames(): string[] {
  return [...classes.keys()].sort();
}

/** Builds a layer from `{className, config}` (camelCase config) through the registry. */
export function deserializeLayer(serialized: { className: string; config: Record<string, unknown> }): import('./layer').Layer {
  if (!serialized || typeof serialized !== 'object' || typeof serialized.className !== 'string') {
    throw new Error(`Expected a layer as {className, config}, got ${JSON.stringify(serialized)}.`);
  }
  const cls = getLayerClass(serialized.className);
  if (!cls) {
    throw new Error(`Unknown layer class ${JSON.stringify(serialized.className)}; known: ${layerClassNames().join(', ')}.`);
  }
  return cls.fromConfig(serialized.config ?? {});
}
