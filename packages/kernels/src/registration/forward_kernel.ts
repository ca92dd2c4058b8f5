/** The 'RecurrentSequence' kernel: runs the active implementation's forward pass. */
import type * as tf from '@tensorflow/tfjs';
import { implementationFor } from '../backend/implementation_choice';
import { makeOutput, type KernelBackendIO } from './backend_io';
import type { RecurrentSequenceAttrs } from './kernel_contract';
import { forwardRequestFromInputs } from './request_from_inputs';
import { releaseFreedWorkspaces, storeWorkspace } from './workspace_handles';

export function recurrentSequenceKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as KernelBackendIO;
  const attrs = args.attrs as unknown as RecurrentSequenceAttrs;
  const req = forwardRequestFromInputs(backend, args.inputs, attrs);
  const implementation = implementationFor(attrs.implementation);
  if (attrs.workspaceHandle === true) releaseFreedWorkspaces(backend);
  const result = implementation.forward(req);
  const { batch: B, time: T, units: U } = req;
  const state = (values: Float32Array | null) =>
    values === null || !req.returnState ? makeOutput(backend, [0], new Float32Array(0)) : makeOutput(backend, [B, U], values);
  const byHandle = attrs.workspaceHandle === true && result.workspace.length > 0;
  const workspace = byHandle ? makeOutput(backend, [0], new Float32Array(0)) : makeOutput(backend, [result.workspace.length], result.workspace);
  if (byHandle) storeWorkspace(backend, workspace.dataId, result.workspace, implementation.releaseWorkspace);
  return [
    makeOutput(backend, req.returnSequences ? [B, T, U] : [B, U], result.outputs),
    state(result.h),
    state(result.c),
    workspace,
  ];
}
