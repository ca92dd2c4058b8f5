/** Registering replaces the kernels once, unregistering restores tfjs's, and info() reports them. */
import * as tf from '@tensorflow/tfjs';
import { info } from '../backend/info';
import { activateCpuKernelOverrides, cpuKernelOverridesActive, cpuKernelOverridesWanted, registerCpuKernelOverrides, unregisterCpuKernelOverrides } from './register';

const NAMES = [
  'Add', 'Sub', 'Multiply', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference',
  'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd',
  'Sqrt', 'Log', 'Neg', 'Relu', 'Step', 'Slice', 'PadV2', 'Softmax', 'Sum', 'Cast',
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  delete process.env.RECURRENT_CPU_KERNELS;
});

describe('cpu kernel registration', () => {
  test('register replaces each kernel, is idempotent, and unregister restores the original objects', () => {
    unregisterCpuKernelOverrides();
    const originals = NAMES.map((n) => tf.getKernel(n, 'cpu'));
    expect(registerCpuKernelOverrides().sort()).toEqual([...NAMES].sort());
    const replaced = NAMES.map((n) => tf.getKernel(n, 'cpu'));
    replaced.forEach((k, i) => expect(k).not.toBe(originals[i]));
    expect(registerCpuKernelOverrides().sort()).toEqual([...NAMES].sort());
    NAMES.forEach((n, i) => expect(tf.getKernel(n, 'cpu')).toBe(replaced[i]));
    unregisterCpuKernelOverrides();
    NAMES.forEach((n, i) => expect(tf.getKernel(n, 'cpu')).toBe(originals[i]));
    expect(cpuKernelOverridesActive()).toEqual([]);
    // tfjs's kernels work again after the round trip
    expect(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).arraySync())).toEqual([2, 3]);
  });

  test('info() lists the replaced kernels', () => {
    registerCpuKernelOverrides();
    expect(info().cpuKernelOverrides.sort()).toEqual([...NAMES].sort());
    unregisterCpuKernelOverrides();
    expect(info().cpuKernelOverrides).toEqual([]);
  });

  test('RECURRENT_CPU_KERNELS=tfjs keeps tfjs\'s kernels; unknown values are rejected by name', () => {
    unregisterCpuKernelOverrides();
    process.env.RECURRENT_CPU_KERNELS = 'tfjs';
    expect(cpuKernelOverridesWanted()).toBe(false);
    expect(activateCpuKernelOverrides()).toEqual([]);
    process.env.RECURRENT_CPU_KERNELS = 'fast';
    expect(activateCpuKernelOverrides().length).toBe(NAMES.length);
    process.env.RECURRENT_CPU_KERNELS = 'quick';
    expect(() => cpuKernelOverridesWanted()).toThrow(/RECURRENT_CPU_KERNELS='quick'.*'fast' or 'tfjs'/);
    unregisterCpuKernelOverrides();
  });
});
