/**
 * The gradient of the sequence input is skipped when nothing can need it (x is data fed from outside
 * the gradient tape), computed when x comes from a recorded op or is a trainable variable, and still
 * correct when tfjs asks for it anyway (tf.grad with respect to the data itself).
 */
import * as tf from '@tensorflow/tfjs';
import { implementationFor } from '../backend/implementation_choice';
import { typescriptImplementation } from '../typescript';
import { requireNative } from '../native/__tests__/native_fixture';
import { randomRequest } from '../native/__tests__/random_requests';
import type { BackwardRequest, RecurrentImplementation } from '../spec';
import { recurrentSequence } from './recurrent_sequence';

describe('backward with computeInputGradient: false', () => {
  const native = requireNative().impl;
  for (const impl of [native, typescriptImplementation]) {
    for (const cell of ['simple_rnn', 'lstm', 'gru'] as const) {
      test(`${impl.name} ${cell}: no dx, every other gradient unchanged`, () => {
        const req = randomRequest({ cell, batch: 3, time: 4, features: 5, units: 6, mask: 'gaps', dropout: true, initialStates: true });
        const fwd = impl.forward(req);
        const dOutputs = Float32Array.from({ length: 3 * 4 * 6 }, (_, i) => Math.sin(i));
        const back: BackwardRequest = { ...req, workspace: fwd.workspace, dOutputs, dH: fwd.h.map((v) => v * 0.5), dC: fwd.c };
        const full = impl.backward(back);
        const skipped = impl.backward({ ...back, computeInputGradient: false });
        expect(full.dx.length).toBe(3 * 4 * 5);
        expect(skipped.dx.length).toBe(0);
        for (const key of ['dKernel', 'dRecurrentKernel', 'dBias', 'dInitialH', 'dInitialC', 'dhNorms'] as const) {
          const a = full[key], b = skipped[key];
          expect(b === null ? null : Array.from(b)).toEqual(a === null ? null : Array.from(a));
        }
      });
    }
  }
});

describe('the op decides from the tape', () => {
  const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 11) as tf.Tensor3D;
  const kernel = tf.variable(tf.randomNormal([3, 16], 0, 0.4, 'float32', 12));
  const recurrentKernel = tf.variable(tf.randomNormal([4, 16], 0, 0.4, 'float32', 13));
  afterAll(() => tf.dispose([x, kernel, recurrentKernel]));

  /** Records what the active implementation's backward is asked for during fn (the implementation
   * objects are plain records of functions, so the method is wrapped and put back). */
  function backwardRequests(fn: () => void): BackwardRequest[] {
    const impl = implementationFor(undefined) as { backward: RecurrentImplementation['backward'] };
    const seen: BackwardRequest[] = [];
    const saved = impl.backward;
    impl.backward = (req) => {
      seen.push(req);
      return saved.call(impl, req);
    };
    try {
      fn();
    } finally {
      impl.backward = saved;
    }
    return seen;
  }

  const loss = (input: tf.Tensor3D) => recurrentSequence({ x: input, kernel: kernel as unknown as tf.Tensor2D, recurrentKernel: recurrentKernel as unknown as tf.Tensor2D }, { cell: 'lstm' }).h.square().sum() as tf.Scalar;

  test('data from outside the tape: the weight gradients come without dx', () => {
    const requests = backwardRequests(() => {
      const { grads, value } = tf.variableGrads(() => loss(x), [kernel, recurrentKernel]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    expect(requests.map((r) => r.computeInputGradient)).toEqual([false]);
  });

  test('x produced by a recorded op (an earlier layer): dx is computed, once', () => {
    const requests = backwardRequests(() => {
      const { grads, value } = tf.variableGrads(() => loss(tf.tanh(tf.mul(x, kernel.mean())) as tf.Tensor3D), [kernel, recurrentKernel]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    expect(requests.map((r) => r.computeInputGradient)).toEqual([true]);
  });

  test('tf.grad with respect to the data itself still gives the right dx, without leaks', () => {
    const reference = tf.grad((input: tf.Tensor) => loss(tf.add(input, 0) as tf.Tensor3D))(x); // x through a recorded op
    let dx: tf.Tensor | null = null;
    const requests = backwardRequests(() => {
      dx = tf.grad((input: tf.Tensor) => loss(input as tf.Tensor3D))(x);
    });
    expect(requests.map((r) => r.computeInputGradient)).toEqual([false, true]);
    expect(dx!.shape).toEqual([2, 5, 3]);
    expect(Array.from(dx!.dataSync())).toEqual(Array.from(reference.dataSync()));
    tf.dispose([dx!, reference]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.grad((input: tf.Tensor) => loss(input as tf.Tensor3D))(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
