/**
 * Whether anything can ask for the gradient of the sequence input x: only while a gradient tape
 * records, and only for a trainable variable or a tensor produced by an op recorded on that tape
 * (the output of an earlier layer, an embedding lookup). Data created before the tape started, the
 * usual input of a model, has no path to the variables being differentiated, so its gradient (one
 * matrix product over all timesteps) can be skipped. The exception, tf.grad(f)(x) with x such data,
 * is handled by the gradient function, which computes dx after all when tfjs asks for it.
 */
import * as tf from '@tensorflow/tfjs';

export function inputMayNeedGradient(x: tf.Tensor): boolean {
  const engine = tf.engine();
  if (!engine.isTapeOn()) return false;
  if (x instanceof tf.Variable) return x.trainable;
  const tape = engine.state.activeTape as unknown;
  if (!Array.isArray(tape)) return true; // engine internals not as expected: compute dx
  for (let i = tape.length - 1; i >= 0; i--) {
    const outputs = (tape[i] as { outputs?: unknown }).outputs;
    if (!Array.isArray(outputs)) return true;
    for (const t of outputs) if ((t as tf.Tensor | null)?.id === x.id) return true;
  }
  return false;
}
