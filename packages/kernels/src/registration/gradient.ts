/**
 * The gradient of 'RecurrentSequence': one run of 'RecurrentSequenceGrad' per backward pass, shared
 * by every input that needs a gradient. It runs when tfjs asks the node for its gradients (inside the
 * backward scope), so the per-input functions below only hand out tensors that already exist.
 */
import * as tf from '@tensorflow/tfjs';
import { FORWARD_INPUTS, RECURRENT_SEQUENCE, RECURRENT_SEQUENCE_GRAD, type RecurrentSequenceAttrs } from './kernel_contract';
import { storedWorkspace } from './workspace_handles';

function gradFunc(dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap): Record<string, () => tf.Tensor> {
  const dys = Array.isArray(dy) ? dy : [dy];
  const [x, kernel, recurrentKernel, bias, initialH, initialC, mask, inputDropoutMask, recurrentDropoutMask, savedWorkspace] = saved;
  const cell = (attrs as unknown as RecurrentSequenceAttrs).cell;
  const empty = tf.zeros([0]);
  const runGrad = (kernelAttrs: tf.NamedAttrMap) => {
    // A workspace kept beside tfjs becomes a tensor over the same array (not copied) for this call.
    const stored = storedWorkspace(savedWorkspace.dataId);
    const workspace = stored === undefined ? savedWorkspace : tf.tensor1d(stored, 'float32');
    try {
      return tf.engine().runKernel(
        RECURRENT_SEQUENCE_GRAD,
        {
          x, kernel, recurrentKernel, bias, initialH, initialC, mask, inputDropoutMask, recurrentDropoutMask, workspace,
          dOutputs: dys[0] ?? empty,
          dH: dys[1] ?? empty,
          dC: cell === 'lstm' && dys[2] != null ? dys[2] : empty,
        },
        kernelAttrs,
      ) as tf.Tensor[];
    } finally {
      if (workspace !== savedWorkspace) workspace.dispose();
    }
  };
  const grads = runGrad(attrs);
  const [dx, dKernel, dRecurrentKernel, dBias, dInitialH, dInitialC] = grads;
  // The op skipped dx when nothing seemed to need it; tfjs asks for it anyway when x itself is what
  // is differentiated (tf.grad(f)(x) with x plain data). Then the backward runs again, with dx.
  const inputGradient = () => {
    if (dx.size > 0 || x.size === 0) return dx;
    return runGrad({ ...attrs, computeInputGradient: true, repeatForInputGradient: true })[0];
  };
  // Masks and dropout multipliers are constants of the computation: no gradient flows into them.
  const constant = (t: tf.Tensor) => () => tf.zeros(t.shape, 'float32');
  return {
    x: inputGradient,
    kernel: () => dKernel,
    recurrentKernel: () => dRecurrentKernel,
    bias: () => dBias,
    initialH: () => dInitialH,
    initialC: () => dInitialC,
    mask: constant(mask),
    inputDropoutMask: constant(inputDropoutMask),
    recurrentDropoutMask: constant(recurrentDropoutMask),
  };
}

export const recurrentSequenceGradConfig: tf.GradConfig = {
  kernelName: RECURRENT_SEQUENCE,
  inputsToSave: [...FORWARD_INPUTS],
  outputsToSave: [false, false, false, true], // the workspace, or its handle
  gradFunc,
};
