/**
 * The 'RecurrentSequenceGrad' kernel: backpropagation through time with the implementation that ran
 * the forward.
 * Inputs: the forward inputs, the forward's workspace, and the gradients of its outputs
 * (placeholders where none flows). Also reports the per-step gradient norms to backward listeners.
 */
import type * as tf from '@tensorflow/tfjs';
import { implementationFor } from '../backend/implementation_choice';
import { GATES } from '../spec';
import { makeOutput, readFloats, readOptional, type KernelBackendIO } from './backend_io';
import { notifyBackwardListeners } from './backward_listeners';
import type { RecurrentSequenceAttrs } from './kernel_contract';
import { forwardRequestFromInputs } from './request_from_inputs';

export function recurrentSequenceGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as RecurrentSequenceAttrs;
  const { inputs } = args;
  const fwd = forwardRequestFromInputs(backend, inputs, attrs);
  if (inputs.workspace === undefined) throw new Error('RecurrentSequenceGrad kernel: input workspace is required');
  // The implementation checks the workspace and the gradients against the sizes.
  const result = implementationFor(attrs.implementation).backward({
    ...fwd,
    workspace: readFloats(backend, inputs.workspace, 'workspace'),
    dOutputs: readOptional(backend, inputs.dOutputs, 'dOutputs'),
    dH: readOptional(backend, inputs.dH, 'dH'),
    dC: fwd.cell === 'lstm' ? readOptional(backend, inputs.dC, 'dC') : null,
    computeInputGradient: attrs.computeInputGradient !== false,
  });
  if (attrs.repeatForInputGradient !== true) notifyBackwardListeners({ tag: attrs.tag, cell: attrs.cell, dhNorms: result.dhNorms });
  const { batch: B, time: T, features: F, units: U } = fwd;
  const GU = GATES[fwd.cell] * U;
  const empty = (): tf.TensorInfo => makeOutput(backend, [0], new Float32Array(0));
  return [
    result.dx.length === 0 && B * T * F > 0 ? empty() : makeOutput(backend, [B, T, F], result.dx),
    makeOutput(backend, [F, GU], result.dKernel),
    makeOutput(backend, [U, GU], result.dRecurrentKernel),
    result.dBias === null ? empty() : makeOutput(backend, fwd.cell === 'gru' && fwd.resetAfter ? [2, GU] : [GU], result.dBias),
    makeOutput(backend, [B, U], result.dInitialH),
    result.dInitialC === null ? empty() : makeOutput(backend, [B, U], result.dInitialC),
  ];
}
