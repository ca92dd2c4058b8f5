/** The one memory limit: its sources, and the native addon enforcing it from the moment it loads. */
import * as os from 'os';
import { requireNative } from '../native/__tests__/native_fixture';
import { enforceMemoryLimit, MEMORY_LIMIT_VARIABLE, memoryLimit, setMemoryLimit } from './memory_limit';

afterEach(() => {
  setMemoryLimit(undefined);
  delete process.env[MEMORY_LIMIT_VARIABLE];
});

describe('the memory limit', () => {
  test('whoever enforces it gets the limit now and at every change; a malformed variable leaves the machine memory', () => {
    const seen: number[] = [];
    process.env[MEMORY_LIMIT_VARIABLE] = '2GiB';
    enforceMemoryLimit((bytes) => seen.push(bytes));
    setMemoryLimit(5e8);
    setMemoryLimit(Infinity);
    process.env[MEMORY_LIMIT_VARIABLE] = 'lots';
    setMemoryLimit(undefined);
    expect(seen.slice(-4)).toEqual([2 * 2 ** 30, 5e8, Infinity, os.totalmem()]);
    expect(() => memoryLimit()).toThrow(/RECURRENT_MEMORY_LIMIT='lots' is not a size/);
  });

  test('the native addon loaded through the loader enforces setMemoryLimit(), and its default again after undefined', () => {
    const { addon } = requireNative();
    // An LSTM(8) forward over 2^19 steps of no features: about 100 MB of workspace, little arithmetic.
    const request: Record<string, unknown> = {
      cell: 'lstm', batch: 1, time: 1 << 19, features: 0, units: 8, activation: 'tanh', recurrentActivation: 'sigmoid',
      goBackwards: false, zeroOutputForMask: false, resetAfter: true, returnSequences: false, returnState: false, saveWorkspace: true,
      x: new Float32Array(0), kernel: new Float32Array(0), recurrentKernel: new Float32Array(8 * 32),
      bias: null, initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
    };
    const forward = () => (addon.forward as unknown as (...fields: unknown[]) => unknown)(...addon.requestFields.forward.map((f) => request[f]));
    setMemoryLimit(64 * 2 ** 20);
    expect(forward).toThrow(/above the limit of 64 MB \(the machine's memory, or RECURRENT_MEMORY_LIMIT \/ setMemoryLimit\(\)\)/);
    setMemoryLimit(undefined);
    expect(forward).not.toThrow();
  });
});
