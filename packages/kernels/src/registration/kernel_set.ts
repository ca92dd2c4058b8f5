/**
 * Registration of a set of kernels on every tfjs backend present ('cpu' always, and any other
 * registered), with their gradients. The returned function registers what is missing and is a no-op
 * (one comparison) while the set of backends is unchanged, so an op may call it on every use.
 */
import * as tf from '@tensorflow/tfjs';

export function kernelSetRegistrar(kernels: readonly [string, unknown][], gradients: readonly tf.GradConfig[]): () => void {
  let registeredFor = '';
  return () => {
    const names = Object.keys(tf.engine().registryFactory).join(',');
    if (names === registeredFor) return;
    registeredFor = names;
    for (const backendName of new Set(['cpu', ...Object.keys(tf.engine().registryFactory)])) {
      for (const [kernelName, kernelFunc] of kernels) {
        if (tf.getKernel(kernelName, backendName) === undefined) {
          tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as tf.KernelFunc });
        }
      }
    }
    for (const config of gradients) {
      if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
    }
  };
}
