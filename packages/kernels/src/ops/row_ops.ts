/** Ops that replace slow tfjs formulations on the cpu backend: one pass over rows of the last axis, or over windows. */
export { embeddingLookup, type EmbeddingLookupOptions } from './embedding_lookup';
export { softmaxLastAxis, softmaxLogitsOf } from './softmax_last_axis';
export { softmaxRows } from './softmax_rows';
export { maskSteps } from './mask_steps';
export { categoricalCrossentropyLastAxis } from './categorical_crossentropy_last_axis';
export { softmaxCrossEntropyLastAxis } from './softmax_crossentropy_last_axis';
export { maxPool1d, type MaxPool1DOptions } from './max_pool1d';
