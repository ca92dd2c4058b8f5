export { Model, model, type ModelArgs } from './model';
export { Sequential, sequential, type SequentialArgs, type SequentialConfig } from './sequential';
export type { InboundRef, ModelConfig, ModelLayerConfig, TensorRef } from './model_config';
export { mapGraph, type GraphMap } from './graph';
