/**
 * Keras-style unique names: the snake_case of the class name, then `_1`, `_2`, ... for later instances
 * (`dense`, `dense_1`). Counters are global to the process, like a Keras session; tests reset them.
 */
const counters = new Map<string, number>();

/** Keras's `to_snake_case`: `SimpleRNN` -> `simple_rnn`, `GlobalAveragePooling1D` -> `global_average_pooling1d`. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  return intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

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
