/**
 * Row-wise operations over the last axis without tfjs's broadcasting binary ops: on the CPU backend a
 * broadcast such as [N, C] - [N, 1] walks every element through a generic index conversion, tens of
 * times slower than an elementwise op. A [N] vector is instead expanded to [N, C] by a matrix product
 * with a row of ones, after which every op is elementwise. Cross-entropy over a vocabulary of a
 * language model (batch x time x vocabulary values) is where this matters.
 */
import * as tf from '@tensorflow/tfjs';

/** v [...] -> [..., size], each value repeated along a new last axis. */
export function expandLastAxis(v: tf.Tensor, size: number): tf.Tensor {
  return tf.tidy(() => v.reshape([-1, 1]).matMul(tf.ones([1, size])).reshape([...v.shape, size]));
}

/**
 * log(sum(exp(x), -1)), stable (the row maximum is subtracted first), with the gradient
 * dy * softmax(x) computed directly rather than through the ops of the forward pass.
 */
const logSumExpWithGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const size = x.shape[x.rank - 1];
  const max = tf.max(x, -1);
  const lse = max.add(x.sub(expandLastAxis(max, size)).exp().sum(-1).log());
  save([x, lse]);
  return {
    value: lse,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, value] = saved;
      const softmax = input.sub(expandLastAxis(value, size)).exp();
      return [softmax.mul(expandLastAxis(dy, size))];
    },
  };
});

export function logSumExpLastAxis(x: tf.Tensor): tf.Tensor {
  return logSumExpWithGrad(x);
}
