import type { Layer, LayerClass } from './layer';

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

/** A layer (or cell) written as `{className, config}` (camelCase config). */
export interface SerializedLayer {
  className: string;
  config: Record<string, unknown>;
}

/** Whether a value is `{className, config}` rather than a layer object. */
export function isSerializedLayer(x: unknown): x is SerializedLayer {
  return x !== null && typeof x === 'object' && typeof (x as SerializedLayer).className === 'string'
    && typeof (x as SerializedLayer).config === 'object' && typeof (x as { call?: unknown }).call !== 'function';
}

/** Builds a layer from `{className, config}` (camelCase config) through the registry. */
export function deserializeLayer(serialized: SerializedLayer): Layer {
  if (!serialized || typeof serialized !== 'object' || typeof serialized.className !== 'string') {
    throw new Error(`Expected a layer as {className, config}, got ${JSON.stringify(serialized)}.`);
  }
  const cls = getLayerClass(serialized.className);
  if (!cls) {
    throw new Error(`Unknown layer class ${JSON.stringify(serialized.className)}; known: ${layerClassNames().join(', ')}.`);
  }
  return cls.fromConfig(serialized.config ?? {});
}
