/**
 * softmaxCrossEntropyLastAxis(target, logits, probs): the categorical cross-entropy of softmax(logits)
 * over the last axis, computed from the logits (-sum(target * log_softmax(logits))), one value per
 * row, as one differentiable tfjs op (kernel 'SoftmaxCrossEntropyLastAxis', gradient through
 * 'SoftmaxCrossEntropyLastAxisGrad': dy * (softmax * sum(target) - target) for the logits).
 *
 * With `{ sparse: true }` the target holds one class id per row (shape [...], ids as float32), which is
 * the one-hot row of that id; an id outside [0, classes) is an all-zero row (no loss, no gradient).
 *
 * `probs` must be softmaxLastAxis(logits), the probabilities the forward pass already computed; the
 * kernels read them instead of evaluating exponentials again. They are data to this op: it hands the
 * kernel an alias of their values that the gradient tape does not connect to the softmax, so the
 * gradient reaches the logits once, through this op alone.
 */
import * as tf from '@tensorflow/tfjs';
import { SOFTMAX_CROSSENTROPY_LAST_AXIS } from '../registration/softmax_crossentropy_kernels';
import { registerRowKernels } from '../registration/register_row_kernels';

export function softmaxCrossEntropyLastAxis(target: tf.Tensor, logits: tf.Tensor, probs: tf.Tensor, opts: { sparse?: boolean } = {}): tf.Tensor {
  const sparse = opts.sparse === true;
  for (const [name, t] of [['target', target], ['logits', logits], ['probs', probs]] as const) {
    if (!(t instanceof tf.Tensor)) throw new Error(`softmaxCrossEntropyLastAxis: expected ${name} to be a tf.Tensor, got ${t === null ? 'null' : typeof t}.`);
    if (t.dtype !== 'float32') throw new Error(`softmaxCrossEntropyLastAxis: expected float32 ${name}, got ${t.dtype}; cast with tf.cast(${name}, 'float32').`);
  }
  const targetShape = sparse ? logits.shape.slice(0, -1) : logits.shape;
  if (logits.rank === 0 || !tf.util.arraysEqual(target.shape, targetShape) || !tf.util.arraysEqual(probs.shape, logits.shape)) {
    throw new Error(
      `softmaxCrossEntropyLastAxis: target [${target.shape}], logits [${logits.shape}] and probs [${probs.shape}] must have one shape of rank >= 1 ` +
        `(classes last)${sparse ? ', the target without the class axis (one class id per row)' : ''}.`,
    );
  }
  registerRowKernels();
  const engine = tf.engine();
  // The same data under a new tensor that no recorded op produced: the tape sees no path through it.
  // The new tensor holds a reference of its own on the data (as tfjs's Identity kernel takes one).
  engine.backend.incRef(probs.dataId);
  const probsData = engine.makeTensorFromDataId(probs.dataId, probs.shape, 'float32');
  try {
    return engine.runKernel(SOFTMAX_CROSSENTROPY_LAST_AXIS, { target, logits, probs: probsData }, { sparse }) as tf.Tensor;
  } finally {
    probsData.dispose();
  }
}
