/** Turns the kernel inputs and attributes into the flat request of spec.ts. */
import type * as tf from '@tensorflow/tfjs';
import type { ForwardRequest } from '../spec';
import { readFloats, readOptional, type KernelBackendIO } from './backend_io';
import type { RecurrentSequenceAttrs } from './kernel_contract';

export function forwardRequestFromInputs(
  backend: KernelBackendIO,
  inputs: tf.NamedTensorInfoMap,
  attrs: RecurrentSequenceAttrs,
): ForwardRequest {
  const x = inputs.x;
  const recurrentKernel = inputs.recurrentKernel;
  if (x === undefined || inputs.kernel === undefined || recurrentKernel === undefined) {
    throw new Error('RecurrentSequence kernel: inputs x, kernel and recurrentKernel are required');
  }
  const [batch, time, features] = x.shape;
  const units = recurrentKernel.shape[0];
  return {
    cell: attrs.cell,
    batch,
    time,
    features,
    units,
    activation: attrs.activation,
    recurrentActivation: attrs.recurrentActivation,
    goBackwards: attrs.goBackwards,
    zeroOutputForMask: attrs.zeroOutputForMask,
    resetAfter: attrs.resetAfter,
    x: readFloats(backend, x, 'x'),
    kernel: readFloats(backend, inputs.kernel, 'kernel'),
    recurrentKernel: readFloats(backend, recurrentKernel, 'recurrentKernel'),
    bias: readOptional(backend, inputs.bias, 'bias'),
    initialH: readOptional(backend, inputs.initialH, 'initialH'),
    initialC: attrs.cell === 'lstm' ? readOptional(backend, inputs.initialC, 'initialC') : null,
    mask: readOptional(backend, inputs.mask, 'mask'),
    inputDropoutMask: readOptional(backend, inputs.inputDropoutMask, 'inputDropoutMask'),
    recurrentDropoutMask: readOptional(backend, inputs.recurrentDropoutMask, 'recurrentDropoutMask'),
    returnSequences: attrs.returnSequences !== false,
    returnState: attrs.returnState !== false,
    saveWorkspace: attrs.saveWorkspace !== false,
  };
}
