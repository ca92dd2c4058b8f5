/**
 * On the cpu backend the op keeps the BPTT workspace beside tfjs: the forward kernel's workspace output
 * is an empty handle (so tfjs's zero gradient for it costs nothing), the gradient finds the workspace
 * through it and gives the gradients the explicit workspace tensor gives; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { RECURRENT_SEQUENCE, RECURRENT_SEQUENCE_GRAD, recurrentSequence, setImplementation } from '../index';
import { activeImplementation } from '../backend/implementation_choice';
import { storedWorkspace } from './workspace_handles';

const B = 3, T = 5, F = 4, U = 6;

function weights() {
  return {
    x: tf.randomUniform([B, T, F], -1, 1, 'float32', 1) as tf.Tensor3D,
    kernel: tf.randomUniform([F, 4 * U], -0.5, 0.5, 'float32', 2) as tf.Tensor2D,
    recurrentKernel: tf.randomUniform([U, 4 * U], -0.5, 0.5, 'float32', 3) as tf.Tensor2D,
    bias: tf.randomUniform([4 * U], -0.5, 0.5, 'float32', 4) as tf.Tensor1D,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('workspace handles', () => {
  test('with workspaceHandle the forward kernel returns an empty handle keyed to the whole workspace', () => {
    const w = weights();
    const empty = () => tf.zeros([0]);
    const impl = activeImplementation();
    const attrs = { cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true, tag: 't', implementation: impl.name, workspaceHandle: true };
    const inputs = { ...w, initialH: empty(), initialC: empty(), mask: empty(), inputDropoutMask: empty(), recurrentDropoutMask: empty() };
    const outs = tf.engine().runKernel(RECURRENT_SEQUENCE, inputs, attrs) as tf.Tensor[];
    expect(outs[3].shape).toEqual([0]);
    expect(storedWorkspace(outs[3].dataId)?.length).toBe(impl.workspaceSize({ cell: 'lstm', batch: B, time: T, features: F, units: U }, true));
    // Without the attribute the workspace is the output itself, and the two records are the same.
    const plain = tf.engine().runKernel(RECURRENT_SEQUENCE, inputs, { ...attrs, workspaceHandle: false }) as tf.Tensor[];
    expect(Array.from(plain[3].dataSync())).toEqual(Array.from(storedWorkspace(outs[3].dataId)!));
    [...Object.values(inputs), ...outs, ...plain].forEach((t) => t.dispose());
  });

  test('gradients through the handle equal those from the explicit workspace', () => {
    const w = weights();
    const dOutputs = tf.randomUniform([B, T, U], -1, 1, 'float32', 5);
    const loss = (kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor) =>
      tf.sum(tf.mul(recurrentSequence({ x: w.x, kernel: kernel as tf.Tensor2D, recurrentKernel: recurrentKernel as tf.Tensor2D, bias }, { cell: 'lstm' }).outputs, dOutputs));
    const viaHandle = tf.grads(loss)([w.kernel, w.recurrentKernel, w.bias]);

    const empty = () => tf.zeros([0]);
    const impl = activeImplementation();
    const attrs = { cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true, tag: 't', implementation: impl.name };
    const inputs = { ...w, initialH: empty(), initialC: empty(), mask: empty(), inputDropoutMask: empty(), recurrentDropoutMask: empty() };
    const forward = tf.engine().runKernel(RECURRENT_SEQUENCE, inputs, attrs) as tf.Tensor[];
    const direct = tf.engine().runKernel(RECURRENT_SEQUENCE_GRAD, { ...inputs, workspace: forward[3], dOutputs, dH: empty(), dC: empty() }, attrs) as tf.Tensor[];
    expect(Array.from(viaHandle[0].dataSync())).toEqual(Array.from(direct[1].dataSync()));
    expect(Array.from(viaHandle[1].dataSync())).toEqual(Array.from(direct[2].dataSync()));
    expect(Array.from(viaHandle[2].dataSync())).toEqual(Array.from(direct[3].dataSync()));
    [...Object.values(inputs), ...forward, ...direct, ...viaHandle, dOutputs].forEach((t) => t.dispose());
  });

  test('training steps keep the tensor count flat', () => {
    const w = weights();
    const vars = [tf.variable(w.kernel), tf.variable(w.recurrentKernel), tf.variable(w.bias)] as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>];
    const optimizer = tf.train.sgd(0.01);
    const step = () => {
      const cost = optimizer.minimize(() => tf.sum(recurrentSequence({ x: w.x, kernel: vars[0], recurrentKernel: vars[1], bias: vars[2] }, { cell: 'lstm' }).outputs), true, vars);
      cost!.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    [...Object.values(w), ...vars].forEach((t) => t.dispose());
    optimizer.dispose();
  });
});

describe('workspaces released once tfjs frees their handles', () => {
  test('the next forward hands each freed workspace back to the native implementation', () => {
    const before = activeImplementation().name;
    setImplementation('native'); // the TypeScript kernels leave their arrays to the garbage collector
    const impl = activeImplementation();
    const released: number[] = [];
    const original = impl.releaseWorkspace!;
    impl.releaseWorkspace = (workspace: Float32Array) => {
      released.push(workspace.length);
      original.call(impl, workspace);
    };
    try {
      const w = weights();
      const loss = (kernel: tf.Tensor) => tf.sum(recurrentSequence({ x: w.x, kernel: kernel as tf.Tensor2D, recurrentKernel: w.recurrentKernel, bias: w.bias }, { cell: 'lstm' }).outputs);
      const size = impl.workspaceSize({ cell: 'lstm', batch: B, time: T, features: F, units: U }, true);
      tf.dispose(tf.grads(loss)([w.kernel]));
      expect(released).toEqual([]);
      const first = tf.grads(loss)([w.kernel]); // its forward releases the first step's workspace
      expect(released).toEqual([size]);
      const second = tf.grads(loss)([w.kernel]);
      expect(released).toEqual([size, size]);
      expect(Array.from(second[0].dataSync())).toEqual(Array.from(first[0].dataSync()));
      tf.dispose([...first, ...second, ...Object.values(w)]);
    } finally {
      impl.releaseWorkspace = original;
      setImplementation(before);
    }
  });
});
