/**
 * The 'RecurrentSequenceGrad' kernel: backpropagation through time with the active implementation.
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
  const impl = implementationFor(attrs.implementation);
  const expected = impl.workspaceSize(fwd, fwd.resetAfter);
  if (inputs.workspace.shape[0] === 0 && expected > 0) {
    throw new Error(
      'RecurrentSequenceGrad kernel: the forward ran without saving its workspace (no gradient tape was recording, ' +
        'attribute saveWorkspace false); run the forward inside tf.grad / tf.variableGrads / optimizer.minimize',
    );
  }
  if (inputs.workspace.shape[0] !== expected) {
    throw new Error(
      `RecurrentSequenceGrad kernel: the workspace has ${inputs.workspace.shape[0]} floats but the ${impl.name} ` +
        `implementation expects ${expected}; pass the workspace output of the forward kernel with the same attributes`,
    );
  }
  const result = impl.backward({
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
