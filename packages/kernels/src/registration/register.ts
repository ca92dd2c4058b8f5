/**
 * Registers both kernels on every tfjs backend present ('cpu' always; 'tensorflow' when tfjs-node
 * loaded; any other registered backend that can read its tensors synchronously), and the gradient.
 * Safe to call repeatedly: what is already registered is left alone.
 */
import * as tf from '@tensorflow/tfjs';
import { recurrentSequenceGradKernel } from './backward_kernel';
import { recurrentSequenceKernel } from './forward_kernel';
import { recurrentSequenceGradConfig } from './gradient';
import { RECURRENT_SEQUENCE, RECURRENT_SEQUENCE_GRAD } from './kernel_contract';

/** Backend names the kernels are registered for. */
export function registeredBackends(): string[] {
  return Object.keys(tf.engine().registryFactory).filter((name) => tf.getKernel(RECURRENT_SEQUENCE, name) !== undefined);
}

let registeredFor = '';

/** Registers what is missing; a no-op (one comparison) while the set of backends is unchanged. */
export function registerRecurrentKernels(): void {
  const names = Object.keys(tf.engine().registryFactory).join(',');
  if (names === registeredFor) return;
  registeredFor = names;
  const backends = new Set(['cpu', ...Object.keys(tf.engine().registryFactory)]);
  for (const backendName of backends) {
    if (tf.getKernel(RECURRENT_SEQUENCE, backendName) === undefined) {
      tf.registerKernel({ kernelName: RECURRENT_SEQUENCE, backendName, kernelFunc: recurrentSequenceKernel as unknown as tf.KernelFunc });
    }
    if (tf.getKernel(RECURRENT_SEQUENCE_GRAD, backendName) === undefined) {
      tf.registerKernel({ kernelName: RECURRENT_SEQUENCE_GRAD, backendName, kernelFunc: recurrentSequenceGradKernel as unknown as tf.KernelFunc });
    }
  }
  if (tf.getGradient(RECURRENT_SEQUENCE) === undefined) tf.registerGradient(recurrentSequenceGradConfig);
}
