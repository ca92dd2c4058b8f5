/**
 * Whether the forward pass running now keeps the logits of its softmax outputs. Keras's softmax
 * activation leaves its logits on its output (`_keras_logits`) and the cross-entropy losses compute
 * from them. A layer computes its pre-activation inside tf.tidy, which would free the logits before
 * the loss runs: during a forward pass that asks for them (the training engine's), a layer with a
 * softmax activation leaves them in the caller's scope instead, and the model hands them on with its
 * outputs. Any other call frees them with the layer's other intermediates, as before.
 */
let keeping = 0;

/** Runs `fn` with softmax logits kept when `keep` is true. */
export function withSoftmaxLogitsKept<T>(keep: boolean, fn: () => T): T {
  if (!keep) return fn();
  keeping++;
  try {
    return fn();
  } finally {
    keeping--;
  }
}

/** True inside a forward pass that keeps the logits of softmax outputs. */
export function softmaxLogitsKept(): boolean {
  return keeping > 0;
}
