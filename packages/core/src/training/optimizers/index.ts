export { Optimizer, type OptimizerArgs, type LearningRate } from './optimizer';
export { SGD, type SGDArgs } from './sgd';
export { Adam, type AdamArgs } from './adam';
export { AdamW } from './adamw';
export { RMSprop, type RMSpropArgs } from './rmsprop';
export { Adagrad, type AdagradArgs } from './adagrad';
export {
  LearningRateSchedule,
  ExponentialDecay,
  PiecewiseConstantDecay,
  CosineDecay,
  deserializeSchedule,
  type ExponentialDecayArgs,
  type PiecewiseConstantDecayArgs,
  type CosineDecayArgs,
} from './schedules';
export { clipByNorm, clipByGlobalNorm, clipByValue, clipGradients, globalNorm, validateClipOptions, arrayClipping, type ClipOptions, type ArrayClipping } from './clipping';
export { clippedGradient, decayedWeight, type FusedRule, type FusedInputs, type FusedSlots, type FusedResult } from './fused_rule';
export { getOptimizer, OPTIMIZER_NAMES, type OptimizerIdentifier, type SerializedOptimizer } from './get_optimizer';
