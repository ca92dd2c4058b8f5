/** The kernels as tfjs sees them: registration, direct kernel calls, the shared gradient. */
import * as tf from '@tensorflow/tfjs';
import { RECURRENT_SEQUENCE, RECURRENT_SEQUENCE_GRAD, info, setImplementation } from '../index';
import { activeImplementation } from '../backend/implementation_choice';
import { implementationsUnderTest } from '../backend/implementations_under_test';

describe('kernel registration', () => {
  test('both kernels are registered on cpu, with a gradient for the forward one', () => {
    expect(tf.getKernel(RECURRENT_SEQUENCE, 'cpu')).toBeDefined();
    expect(tf.getKernel(RECURRENT_SEQUENCE_GRAD, 'cpu')).toBeDefined();
    expect(tf.getGradient(RECURRENT_SEQUENCE)).toBeDefined();
    expect(info().kernelBackends).toContain('cpu');
  });

  test('running the kernel directly returns outputs, h, a c placeholder and the workspace', () => {
    const B = 2, T = 3, F = 2, U = 4;
    const empty = () => tf.zeros([0]);
    const inputs = {
      x: tf.ones([B, T, F]), kernel: tf.fill([F, U], 0.1), recurrentKernel: tf.fill([U, U], 0.05),
      bias: empty(), initialH: empty(), initialC: empty(), mask: empty(), inputDropoutMask: empty(), recurrentDropoutMask: empty(),
    };
    const impl = activeImplementation();
    const attrs = { cell: 'simple_rnn', activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true, tag: 't', implementation: impl.name };
    const outs = tf.engine().runKernel(RECURRENT_SEQUENCE, inputs, attrs) as tf.Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([[B, T, U], [B, U], [0], [impl.workspaceSize({ cell: 'simple_rnn', batch: B, time: T, features: F, units: U }, true)]]);
    // h_1 = tanh(0.2) in every unit; h_2 = tanh(0.2 + 4 * 0.05 * h_1).
    const h1 = Math.tanh(0.2);
    const out = outs[0].arraySync() as number[][][];
    expect(out[0][0][0]).toBeCloseTo(h1, 6);
    expect(out[1][1][3]).toBeCloseTo(Math.tanh(0.2 + 0.2 * h1), 6);

    const wrongWorkspace = tf.zeros([5]);
    expect(() =>
      tf.engine().runKernel(RECURRENT_SEQUENCE_GRAD, { ...inputs, workspace: wrongWorkspace, dOutputs: outs[0], dH: empty(), dC: empty() }, attrs),
    ).toThrow(/^workspace: expected \d+ = \d+ floats, got 5$/);
    [...Object.values(inputs), ...outs, wrongWorkspace].forEach((t) => t.dispose());
  });

  test('tf.grads over several inputs runs the backward kernel once', () => {
    const original = tf.getKernel(RECURRENT_SEQUENCE_GRAD, 'cpu');
    expect(original).toBeDefined();
    let runs = 0;
    tf.unregisterKernel(RECURRENT_SEQUENCE_GRAD, 'cpu');
    tf.registerKernel({
      ...original!,
      kernelFunc: (args) => {
        runs++;
        return original!.kernelFunc(args);
      },
    });
    try {
      const { recurrentSequence } = require('../index') as typeof import('../index');
      const x = tf.randomNormal([2, 4, 3]) as tf.Tensor3D;
      const k = tf.randomNormal([3, 12]) as tf.Tensor2D;
      const r = tf.randomNormal([4, 12]) as tf.Tensor2D;
      const b = tf.zeros([2, 12]);
      const h0 = tf.zeros([2, 4]) as tf.Tensor2D;
      // x reaches the op through a recorded op (as the output of an earlier layer would), so the op
      // knows its gradient is wanted. (Raw data as x gets its dx from a second run: ops tests.)
      const grads = tf.grads((...p: tf.Tensor[]) =>
        tf.sum(recurrentSequence({ x: tf.mul(p[0], 1) as tf.Tensor3D, kernel: p[1] as tf.Tensor2D, recurrentKernel: p[2] as tf.Tensor2D, bias: p[3], initialH: p[4] as tf.Tensor2D }, { cell: 'gru' }).outputs),
      )([x, k, r, b, h0]);
      expect(runs).toBe(1);
      expect(grads.map((g) => g.shape)).toEqual([[2, 4, 3], [3, 12], [4, 12], [2, 12], [2, 4]]);
      [x, k, r, b, h0, ...grads].forEach((t) => t.dispose());
    } finally {
      tf.unregisterKernel(RECURRENT_SEQUENCE_GRAD, 'cpu');
      tf.registerKernel(original!);
    }
  });
});

describe('info() and the implementation choice', () => {
  test('info() reports backend, implementation and versions', () => {
    const i = info();
    expect(i.backend).toBe('cpu');
    expect(['native', 'typescript']).toContain(i.implementation);
    expect(i.tfjsVersion).toBe(tf.version.tfjs);
    expect(typeof i.tfjsNode).toBe('boolean');
    if (!i.tfjsNode) expect(i.tfjsNodeError).toMatch(/tfjs-node/);
    if (i.implementation === 'typescript') {
      expect(i.threads).toBe(1);
      expect(i.simd).toBe('none');
    } else {
      expect(i.nativeError).toBeNull();
      expect(i.threads).toBeGreaterThanOrEqual(1);
    }
  });

  test('setImplementation switches, and rejects unknown names', () => {
    const before = info().implementation;
    setImplementation('typescript');
    expect(info().implementation).toBe('typescript');
    expect(info().threads).toBe(1);
    // The TypeScript kernels run on tfjs's own cpu kernels; the native one also replaces Dense's products.
    expect(info().nativeCpuOverrides).toBe(false);
    if (implementationsUnderTest().includes('native')) {
      setImplementation('native');
      expect(info().implementation).toBe('native');
      expect(info().nativeCpuOverrides).toBe(true);
    }
    expect(() => setImplementation('fast' as never)).toThrow(/unknown implementation 'fast'; expected 'native' or 'typescript'/);
    setImplementation(before);
    expect(info().implementation).toBe(before);
  });

  test('RECURRENT_KERNELS is honoured at load, and a bad value is a clear error', () => {
    const saved = process.env.RECURRENT_KERNELS;
    // A second attempt at the optional tfjs-node would only repeat its warnings.
    process.env.RECURRENT_TFJS_NODE = '0';
    try {
      process.env.RECURRENT_KERNELS = 'typescript';
      jest.isolateModules(() => {
        const fresh = require('../index') as typeof import('../index');
        expect(fresh.info().implementation).toBe('typescript');
        expect(fresh.info().nativeError).toMatch(/RECURRENT_KERNELS=typescript/);
      });
      process.env.RECURRENT_KERNELS = 'gpu';
      jest.isolateModules(() => {
        expect(() => require('../index')).toThrow(/RECURRENT_KERNELS='gpu' is not understood; use 'native' or 'typescript'/);
      });
    } finally {
      delete process.env.RECURRENT_TFJS_NODE;
      if (saved === undefined) delete process.env.RECURRENT_KERNELS;
      else process.env.RECURRENT_KERNELS = saved;
    }
  });
});
