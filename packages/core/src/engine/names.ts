/**
 * Keras-style unique names: the snake_case of the class name (config/case_conversion.ts), then `_1`,
 * `_2`, ... for later instances (`dense`, `dense_1`). Counters are global to the process, like a Keras
 * session; tests reset them.
 */
const counters = new Map<string, number>();

/** Returns `prefix` the first time, then `prefix_1`, `prefix_2`, ... */
export function uniqueName(prefix: string): string {
  const count = counters.get(prefix) ?? 0;
  counters.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

/** Forgets every name handed out so far (the next `Dense` is `dense` again). */
export function resetNameCounters(): void {
  counters.clear();
}
