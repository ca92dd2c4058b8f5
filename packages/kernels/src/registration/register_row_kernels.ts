/**
 * Registers the row kernels (embedding lookup, last-axis softmax, step masking, categorical cross-entropy of
 * probabilities and of a softmax's logits, 1-D max pooling; each with its gradient kernel) on every tfjs
 * backend present, as the recurrent kernels are, and their gradients. Safe to
 * call repeatedly: a no-op (one comparison) while the set of backends is unchanged.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  CATEGORICAL_CROSSENTROPY_LAST_AXIS, CATEGORICAL_CROSSENTROPY_LAST_AXIS_GRAD, categoricalCrossentropyGradConfig,
  categoricalCrossentropyGradKernel, categoricalCrossentropyKernel,
} from './crossentropy_kernels';
import {
  EMBEDDING_LOOKUP, EMBEDDING_LOOKUP_GRAD, embeddingLookupGradConfig, embeddingLookupGradKernel, embeddingLookupKernel,
} from './embedding_kernels';
import { MAX_POOL_1D, MAX_POOL_1D_GRAD, maxPool1DGradConfig, maxPool1DGradKernel, maxPool1DKernel } from './max_pool1d_kernels';
import { MASK_STEPS, MASK_STEPS_GRAD, maskStepsGradConfig, maskStepsGradKernel, maskStepsKernel } from './mask_steps_kernels';
import {
  SOFTMAX_CROSSENTROPY_LAST_AXIS, SOFTMAX_CROSSENTROPY_LAST_AXIS_GRAD, softmaxCrossEntropyGradConfig, softmaxCrossEntropyGradKernel,
  softmaxCrossEntropyKernel,
} from './softmax_crossentropy_kernels';
import {
  SOFTMAX_LAST_AXIS, SOFTMAX_LAST_AXIS_GRAD, softmaxLastAxisGradConfig, softmaxLastAxisGradKernel, softmaxLastAxisKernel,
} from './softmax_kernels';
import { kernelSetRegistrar } from './kernel_set';

const KERNELS: [string, unknown][] = [
  [EMBEDDING_LOOKUP, embeddingLookupKernel],
  [EMBEDDING_LOOKUP_GRAD, embeddingLookupGradKernel],
  [SOFTMAX_LAST_AXIS, softmaxLastAxisKernel],
  [SOFTMAX_LAST_AXIS_GRAD, softmaxLastAxisGradKernel],
  [MASK_STEPS, maskStepsKernel],
  [MASK_STEPS_GRAD, maskStepsGradKernel],
  [CATEGORICAL_CROSSENTROPY_LAST_AXIS, categoricalCrossentropyKernel],
  [CATEGORICAL_CROSSENTROPY_LAST_AXIS_GRAD, categoricalCrossentropyGradKernel],
  [SOFTMAX_CROSSENTROPY_LAST_AXIS, softmaxCrossEntropyKernel],
  [SOFTMAX_CROSSENTROPY_LAST_AXIS_GRAD, softmaxCrossEntropyGradKernel],
  [MAX_POOL_1D, maxPool1DKernel],
  [MAX_POOL_1D_GRAD, maxPool1DGradKernel],
];

const GRADIENTS: tf.GradConfig[] = [embeddingLookupGradConfig, softmaxLastAxisGradConfig, maskStepsGradConfig, categoricalCrossentropyGradConfig,
  softmaxCrossEntropyGradConfig, maxPool1DGradConfig];

export const registerRowKernels = kernelSetRegistrar(KERNELS, GRADIENTS);
