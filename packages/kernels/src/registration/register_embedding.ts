/**
 * Registers 'EmbeddingLookup' and 'EmbeddingLookupGrad' on every tfjs backend present (as the recurrent
 * kernels are), and the gradient of the lookup: the table's through 'EmbeddingLookupGrad'; the ids, being
 * integers, get none (zeros, as for tf.gather).
 */
import * as tf from '@tensorflow/tfjs';
import {
  EMBEDDING_LOOKUP, EMBEDDING_LOOKUP_GRAD, embeddingLookupGradKernel, embeddingLookupKernel, type EmbeddingLookupAttrs,
} from './embedding_kernels';

const embeddingLookupGradConfig: tf.GradConfig = {
  kernelName: EMBEDDING_LOOKUP,
  inputsToSave: ['indices'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [indices] = saved;
    const gradAttrs = attrs as unknown as EmbeddingLookupAttrs;
    return {
      table: () => tf.engine().runKernel(EMBEDDING_LOOKUP_GRAD, { dy: dy as tf.Tensor, indices }, gradAttrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      indices: () => tf.zerosLike(indices),
    };
  },
};

let registeredFor = '';

/** Registers what is missing; a no-op (one comparison) while the set of backends is unchanged. */
export function registerEmbeddingKernels(): void {
  const names = Object.keys(tf.engine().registryFactory).join(',');
  if (names === registeredFor) return;
  registeredFor = names;
  for (const backendName of new Set(['cpu', ...Object.keys(tf.engine().registryFactory)])) {
    if (tf.getKernel(EMBEDDING_LOOKUP, backendName) === undefined) {
      tf.registerKernel({ kernelName: EMBEDDING_LOOKUP, backendName, kernelFunc: embeddingLookupKernel as unknown as tf.KernelFunc });
    }
    if (tf.getKernel(EMBEDDING_LOOKUP_GRAD, backendName) === undefined) {
      tf.registerKernel({ kernelName: EMBEDDING_LOOKUP_GRAD, backendName, kernelFunc: embeddingLookupGradKernel as unknown as tf.KernelFunc });
    }
  }
  if (tf.getGradient(EMBEDDING_LOOKUP) === undefined) tf.registerGradient(embeddingLookupGradConfig);
}
