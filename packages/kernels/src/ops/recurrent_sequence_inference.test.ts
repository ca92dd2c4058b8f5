/**
 * Inference without a workspace: outside a gradient tape the op asks the kernels not to save the
 * per-step record for BPTT. The results must be the same as with it, in both implementations, and
 * a gradient kernel handed the empty workspace must say what happened.
 */
import * as tf from '@tensorflow/tfjs';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import { typescriptImplementation } from '../typescript';
import { requireNative } from '../native/__tests__/native_fixture';
import { randomRequest, type CaseOptions } from '../native/__tests__/random_requests';
import { RECURRENT_SEQUENCE, RECURRENT_SEQUENCE_GRAD } from '../registration/kernel_contract';
import { registerRecurrentKernels } from '../registration/register';
import { recurrentSequence } from './recurrent_sequence';

const CASES: CaseOptions[] = [
  { cell: 'lstm', batch: 4, time: 6, features: 5, units: 40, mask: 'gaps', dropout: true, initialStates: true },
  { cell: 'gru', resetAfter: true, batch: 3, time: 5, features: 4, units: 33, goBackwards: true },
  { cell: 'gru', resetAfter: false, batch: 5, time: 4, features: 6, units: 20, mask: 'fullRow' },
  { cell: 'simple_rnn', batch: 2, time: 7, features: 3, units: 9, zeroOutputForMask: true, mask: 'leading' },
];

describe('forward with saveWorkspace: false', () => {
  const native = requireNative().impl;
  for (const impl of [native, typescriptImplementation]) {
    for (const c of CASES) {
      test(`${impl.name} ${c.cell}${c.resetAfter === false ? ' reset_after=false' : ''}: same results, empty workspace`, () => {
        const req = randomRequest(c);
        const saved = impl.forward(req);
        const unsaved = impl.forward({ ...req, saveWorkspace: false });
        expect(saved.workspace.length).toBe(impl.workspaceSize(req, req.resetAfter));
        expect(unsaved.workspace.length).toBe(0);
        expect(Array.from(unsaved.outputs)).toEqual(Array.from(saved.outputs));
        expect(Array.from(unsaved.h)).toEqual(Array.from(saved.h));
        expect(unsaved.c === null ? null : Array.from(unsaved.c)).toEqual(saved.c === null ? null : Array.from(saved.c));
      });
    }
  }
});

describe('the op', () => {
  const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
  const kernel = tf.randomNormal([4, 12], 0, 0.3, 'float32', 2) as tf.Tensor2D;
  const recurrentKernel = tf.randomNormal([3, 12], 0, 0.3, 'float32', 3) as tf.Tensor2D;
  afterAll(() => tf.dispose([x, kernel, recurrentKernel]));

  test('gives the same outputs outside and inside a gradient tape, and gradients inside', () => {
    const outside = tf.tidy(() => recurrentSequence({ x, kernel, recurrentKernel }, { cell: 'lstm' }).outputs.arraySync());
    let inside: unknown;
    const g = tf.grad((k: tf.Tensor) => {
      const out = recurrentSequence({ x, kernel: k as tf.Tensor2D, recurrentKernel }, { cell: 'lstm' }).outputs;
      inside = out.arraySync();
      return out.sum();
    })(kernel);
    expect(inside).toEqual(outside);
    expect(g.shape).toEqual([4, 12]);
    expect(g.abs().sum().arraySync()).toBeGreaterThan(0);
    g.dispose();
  });

  test.each(implementationsUnderTest())('a gradient kernel given an empty workspace names the cause (%s)', (implementation) => {
    registerRecurrentKernels();
    const attrs = {
      cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false,
      resetAfter: true, tag: 'lstm', implementation, saveWorkspace: false,
    };
    const empty = tf.zeros([0]);
    const forward = tf.engine().runKernel(
      RECURRENT_SEQUENCE,
      { x, kernel, recurrentKernel, bias: empty, initialH: empty, initialC: empty, mask: empty, inputDropoutMask: empty, recurrentDropoutMask: empty },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    expect(forward[3].shape).toEqual([0]);
    expect(() =>
      tf.engine().runKernel(
        RECURRENT_SEQUENCE_GRAD,
        {
          x, kernel, recurrentKernel, bias: empty, initialH: empty, initialC: empty, mask: empty, inputDropoutMask: empty,
          recurrentDropoutMask: empty, workspace: forward[3], dOutputs: empty, dH: tf.onesLike(forward[1]), dC: empty,
        },
        attrs as unknown as tf.NamedAttrMap,
      ),
    ).toThrow(/got none: the forward kept no workspace \(saveWorkspace: false/);
    tf.dispose([...forward, empty]);
  });
});
