/**
 * @recurrent/kernels: fused SimpleRNN / LSTM / GRU sequences for TensorFlow.js, forward and
 * backward, as a native addon with TypeScript kernels of identical semantics.
 */
import { activeImplementation } from './backend/implementation_choice';
import { loadTfjsNode } from './backend/tfjs_node';
import { registerRecurrentKernels } from './registration/register';
import { ACTIVATIONS, type KernelActivation } from './spec';

export * from './spec';
export { recurrentSequence } from './ops/recurrent_sequence';
export { forwardArrays } from './ops/forward_arrays';
export { stepArrays } from './ops/step_arrays';
export { optimizerUpdate, MIN_NATIVE_OPTIMIZER_WEIGHTS } from './ops/optimizer_update';
export type { OptimizerUpdateRule, OptimizerUpdateRules, OptimizerUpdateResult } from './ops/optimizer_update';
export { denseMatMul, denseMatMulRunsNative } from './ops/dense_matmul';
export { denseArrays } from './ops/dense_arrays';
export type { DenseArraysInputs } from './ops/dense_arrays';
export { conv1dFused } from './ops/conv1d_fused';
export { storedFloat32, tensorOwning } from './ops/stored_arrays';
export { freshFloat32, freshCopy } from './ops/fresh_arrays';
export type { Conv1DFusedOptions } from './ops/conv1d_fused';
export * from './conv1d_spec';
export type { RecurrentSequenceAttributes, RecurrentSequenceInputs, RecurrentSequenceResult } from './ops/recurrent_sequence';
export { info } from './backend/info';
export type { KernelsInfo } from './backend/info';
export { setImplementation } from './backend/implementation_choice';
export { SettingError } from './backend/setting_error';
export { MEMORY_LIMIT_VARIABLE, memoryLimit, parseByteSize, setMemoryLimit } from './backend/memory_limit';
export { addBackwardListener } from './registration/backward_listeners';
export type { BackwardEvent, BackwardListener } from './registration/backward_listeners';
export { RECURRENT_SEQUENCE, RECURRENT_SEQUENCE_GRAD } from './registration/kernel_contract';
export { typescriptImplementation } from './typescript';
export * from './ops/row_ops';

/** True when the fused kernels implement this activation (Keras spelling). */
export function isFusedActivation(name: string): name is KernelActivation {
  return (ACTIVATIONS as readonly string[]).includes(name);
}

// tfjs-node first, so its 'tensorflow' backend exists when the kernels are registered; then the
// implementation, so RECURRENT_KERNELS=native fails here, at load, when the addon cannot load.
loadTfjsNode();
registerRecurrentKernels();
activeImplementation();
