/**
 * The outermost eager call. Keras collects the activity penalties of one forward pass: those of every
 * call of every layer inside it (a shared layer counts once per call), and forgets those of the
 * previous pass when a new one starts. A forward pass is the outermost `Layer.apply` or
 * `Model.callWithMasks`; the calls nested in it (a model's layers, a wrapper's inner layer) belong to it.
 */
let depth = 0;

/**
 * Enters a call of the forward pass; true when it starts a new pass (the caller then releases the previous
 * pass's penalties). Every call must be paired with `leaveForwardPass` (in a `finally`). Two functions
 * rather than one taking a callback: the eager call of every layer goes through here.
 */
export function enterForwardPass(): boolean {
  return depth++ === 0;
}

/** Leaves the call entered by `enterForwardPass`. */
export function leaveForwardPass(): void {
  depth--;
}
