/** The fused Conv1D kernels as tfjs sees them: registration on every backend, direct calls, one backward run. */
import * as tf from '@tensorflow/tfjs';
import { activeImplementation } from '../backend/implementation_choice';
import { conv1dFused } from '../ops/conv1d_fused';
import { CONV1D_FUSED, CONV1D_FUSED_GRAD, registerConv1DKernels } from './conv1d_kernels';

describe('the Conv1DFused kernels', () => {
  test('are registered on cpu with a gradient, and on a backend registered later at the next call', () => {
    registerConv1DKernels();
    expect(tf.getKernel(CONV1D_FUSED, 'cpu')).toBeDefined();
    expect(tf.getKernel(CONV1D_FUSED_GRAD, 'cpu')).toBeDefined();
    expect(tf.getGradient(CONV1D_FUSED)).toBeDefined();
    tf.registerBackend('conv1d-later', () => null as unknown as tf.KernelBackend, -1);
    try {
      registerConv1DKernels();
      expect(tf.getKernel(CONV1D_FUSED, 'conv1d-later')).toBeDefined();
      expect(tf.getKernel(CONV1D_FUSED_GRAD, 'conv1d-later')).toBeDefined();
    } finally {
      tf.removeBackend('conv1d-later');
    }
  });

  test('run directly: y, then [dx, dKernel] with dx a [0] placeholder when it is not wanted', () => {
    tf.tidy(() => {
      const x = tf.ones([2, 6, 3]);
      const kernel = tf.fill([2, 3, 4], 0.5);
      const attrs = { stride: 2, dilation: 1, implementation: activeImplementation().name };
      const y = tf.engine().runKernel(CONV1D_FUSED, { x, kernel }, attrs) as tf.Tensor;
      expect(y.shape).toEqual([2, 3, 4]);
      expect(Array.from(new Set(y.dataSync()))).toEqual([3]); // 2 taps x 3 channels x 0.5
      const dy = tf.ones(y.shape);
      const [dx, dKernel] = tf.engine().runKernel(CONV1D_FUSED_GRAD, { x, kernel, dy }, attrs) as tf.Tensor[];
      expect(dx.shape).toEqual([2, 6, 3]);
      expect(Array.from(new Set(dx.dataSync()))).toEqual([2]); // every step read by one tap of 4 filters
      expect(Array.from(new Set(dKernel.dataSync()))).toEqual([6]); // 2 batch rows x 3 steps
      const skipped = tf.engine().runKernel(CONV1D_FUSED_GRAD, { x, kernel, dy }, { ...attrs, computeInputGradient: false }) as tf.Tensor[];
      expect(skipped.map((t) => t.shape)).toEqual([[0], [2, 3, 4]]);
    });
  });

  test('tf.grads of x and the kernel runs the backward kernel once', () => {
    const original = tf.getKernel(CONV1D_FUSED_GRAD, 'cpu')!;
    let runs = 0;
    tf.unregisterKernel(CONV1D_FUSED_GRAD, 'cpu');
    tf.registerKernel({ ...original, kernelFunc: (args) => (runs++, original.kernelFunc(args)) });
    try {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 7, 3]);
        const kernel = tf.randomNormal([3, 3, 5]);
        tf.grads((a: tf.Tensor, k: tf.Tensor) => tf.sum(conv1dFused(tf.mul(a, 1), k)))([x, kernel]);
      });
      expect(runs).toBe(1);
    } finally {
      tf.unregisterKernel(CONV1D_FUSED_GRAD, 'cpu');
      tf.registerKernel(original);
    }
  });
});
