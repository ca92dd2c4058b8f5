/**
 * The outermost eager call. Keras collects the activity penalties of one forward pass: those of every
 * call of every layer inside it (a shared layer counts once per call), and forgets those of the
 * previous pass when a new one starts. A forward pass is the outermost `Layer.apply` or
 * `Model.callWithMasks`; the calls nested in it (a model's layers, a wrapper's inner layer) belong to it.
 */
let depth = 0;

/** Runs `fn` as part of the current forward pass, or as a new one (calling `startPass` first) when none is running. */
export function inForwardPass<T>(startPass: () => void, fn: () => T): T {
  if (depth === 0) startPass();
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}
