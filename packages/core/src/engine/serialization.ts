import type { SerializedObject } from '../initializers/initializer';

/** `{className, config}` of an initializer/regularizer/constraint, or null when there is none. */
export function serializeOptional(x: { serialize(): SerializedObject } | null | undefined): SerializedObject | null {
  return x ? x.serialize() : null;
}
