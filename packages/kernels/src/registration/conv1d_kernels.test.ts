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

  test('run directly: y, then [dx, dKernel, dBias] with placeholders for dx when it is not wanted and dBias without a bias', () => {
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
      expect(skipped.map((t) => t.shape)).toEqual([[0], [2, 3, 4], [0]]);
      // With a bias of -4 and relu: 3 - 4 < 0 everywhere, so y is 0 and no gradient passes.
      const bias = tf.fill([4], -4);
      const reluAttrs = { ...attrs, activation: 'relu', hasBias: true };
      const clipped = tf.engine().runKernel(CONV1D_FUSED, { x, kernel, bias }, reluAttrs) as tf.Tensor;
      expect(Array.from(new Set(clipped.dataSync()))).toEqual([0]);
      const [dx0, dKernel0, dBias0] = tf.engine().runKernel(CONV1D_FUSED_GRAD, { x, kernel, dy, y: clipped }, reluAttrs) as tf.Tensor[];
      expect([dx0.shape, dKernel0.shape, dBias0.shape]).toEqual([[2, 6, 3], [2, 3, 4], [4]]);
      expect([...new Set([...dx0.dataSync(), ...dKernel0.dataSync(), ...dBias0.dataSync()])]).toEqual([0]);
      // A bias of -1: y = 2 everywhere, and dBias counts the 6 output rows.
      const passed = tf.engine().runKernel(CONV1D_FUSED, { x, kernel, bias: tf.fill([4], -1) }, reluAttrs) as tf.Tensor;
      expect(Array.from(new Set(passed.dataSync()))).toEqual([2]);
      const [, , dBias1] = tf.engine().runKernel(CONV1D_FUSED_GRAD, { x, kernel, dy, y: passed }, reluAttrs) as tf.Tensor[];
      expect(Array.from(dBias1.dataSync())).toEqual([6, 6, 6, 6]);
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
