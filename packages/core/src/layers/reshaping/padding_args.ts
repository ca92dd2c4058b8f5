import { z } from 'zod';
import { nonNegativeInt } from '../../engine/schema_parts';

/** An amount for both ends, or [before, after] (ZeroPadding1D's padding, Cropping1D's cropping). */
export const beforeAfterSchema = () => z.union([nonNegativeInt(), z.tuple([nonNegativeInt(), nonNegativeInt()])], {
  error: (iss) => `expected a non-negative integer or a list [before, after], got ${JSON.stringify(iss.input)}`,
});

export function beforeAfter(value: number | [number, number]): [number, number] {
  return Array.isArray(value) ? [value[0], value[1]] : [value, value];
}
