/**
 * Keys that come from documents (a config, a data file) are plain names: "constructor", "toString" or
 * "__proto__" must not reach Object.prototype. Lookups in fixed tables use Maps; where an object is
 * read or written by such a key, these helpers keep to its own properties.
 */

/** `object[key]` when `key` is the object's own property, else undefined. */
export function ownValue<T>(object: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Defines `object[key] = value` as an own property: a key named __proto__ stays a key. */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
