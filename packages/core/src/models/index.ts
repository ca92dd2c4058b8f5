export { Model, model, type ModelArgs } from './model';
export { Sequential, sequential, type SequentialArgs, type SequentialConfig } from './sequential';
export type { InboundRef, ModelConfig, ModelLayerConfig, TensorRef } from './model_config';
export { mapGraph, type GraphMap } from './graph';
export {
  checkMemory, estimateMemory, formatBytes, memoryLimit, MemoryLimitError, MEMORY_LIMIT_VARIABLE, parseByteSize, setMemoryLimit,
  type EstimateOptions, type MemoryEstimate,
} from './memory_estimate';
export { SequenceStepper } from './sequence_stepper';
