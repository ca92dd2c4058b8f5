export { Loss, LossFunctionWrapper, type LossArgs, type LossValues, type ComputeLossOptions } from './loss';
export { reduceWeightedValues, applyMask, squeezeOrExpandToSameRank, alignTargets, alignWeightRank, type Reduction } from './reduction';
export {
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  binaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  BinaryCrossentropy,
  EPSILON,
} from './crossentropy';
export { meanSquaredError, meanAbsoluteError, huber, MeanSquaredError, MeanAbsoluteError, Huber } from './regression';
export { AutoCrossentropy, crossentropyKind, type CrossentropyKind } from './auto_crossentropy';
export { getLoss, LOSS_NAMES, type LossIdentifier, type LossFn, type SerializedLoss } from './get_loss';
export { targetDomainProblem } from './target_domain';
