/** The kernel activations written with plain tfjs ops (their gradients come from tfjs autodiff). */
import * as tf from '@tensorflow/tfjs';
import type { KernelActivation } from '../../spec';

export function referenceActivation(name: KernelActivation, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hard_sigmoid':
      return tf.div(tf.relu6(tf.add(x, 3)), 6);
    case 'hard_sigmoid_legacy':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'relu':
      return tf.relu(x);
    case 'linear':
      return x;
    default:
      throw new Error(`referenceActivation: unknown activation '${String(name)}'`);
  }
}
