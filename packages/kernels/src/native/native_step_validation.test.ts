/**
 * Bad input to `step` never reaches memory: a wrong length, type, dimension or name throws an Error
 * naming the argument and what was expected, and a state array that shares memory with another
 * argument (the step writes over it) is refused, before anything is written. The TypeScript kernels
 * word their checks the same way.
 */
import type { StepRequest } from '../spec';
import { typescriptImplementation } from '../typescript';
import { requireNative } from './__tests__/native_fixture';
import { sameBits, stepCase } from './__tests__/step_requests';

const { impl } = requireNative();

/** LSTM, batch 2, features 4, units 5: kernel 4x20, recurrent kernel 5x20. */
function lstmStep(): StepRequest {
  return stepCase({ cell: 'lstm', batch: 2, features: 4, units: 5, seed: 3 }).step;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Calls step expecting `message`, then checks that the states were left as they were. */
function expectRefused(step: (r: StepRequest) => void, req: StepRequest, message: RegExp): void {
  const h = req.h instanceof Float32Array ? req.h.slice() : null;
  const c = req.c instanceof Float32Array ? req.c.slice() : null;
  expect(() => step(req)).toThrow(message);
  if (h) expect(sameBits(req.h, h)).toBe(true);
  if (c) expect(sameBits(req.c, c)).toBe(true);
}

describe.each([
  ['native kernels', (r: StepRequest) => impl.step(r)],
  ['TypeScript kernels', (r: StepRequest) => typescriptImplementation.step(r)],
] as const)('step validation through the %s', (_name, step) => {
  test.each([
    ['x', '2x4 = 8'],
    ['kernel', '4x20 = 80'],
    ['recurrentKernel', '5x20 = 100'],
    ['bias', '20 = 20'],
    ['h', '2x5 = 10'],
    ['c', '2x5 = 10'],
  ] as const)('%s with a wrong length names the argument and the expected shape', (field, shape) => {
    expectRefused(step, { ...lstmStep(), [field]: new Float32Array(7) }, new RegExp(`^${escape(`${field}: expected ${shape} floats, got 7`)}$`));
  });

  test.each(['x', 'kernel', 'recurrentKernel', 'h'] as const)('%s of the wrong type or missing is rejected', (field) => {
    for (const bad of [new Float64Array(8), [1, 2, 3], 42, undefined, null, new Int32Array(8)]) {
      expectRefused(step, { ...lstmStep(), [field]: bad } as unknown as StepRequest, new RegExp(`^${field}: expected a Float32Array`));
    }
  });

  test("an LSTM needs its cell state; the other cells take none", () => {
    expectRefused(step, { ...lstmStep(), c: null }, /^c: expected a Float32Array of 2x5 = 10 floats, got null$/);
    const gru = stepCase({ cell: 'gru', batch: 1, features: 2, units: 3 }).step;
    expectRefused(step, { ...gru, c: new Float32Array(3) }, /^c: only an LSTM carries a cell state; pass null for simple_rnn and gru$/);
  });

  test('GRU with resetAfter takes a [2, 3U] bias, without it [3U]', () => {
    const ra = stepCase({ cell: 'gru', resetAfter: true, batch: 1, features: 2, units: 3 }).step;
    expectRefused(step, { ...ra, bias: new Float32Array(9) }, /^bias: expected 2x9 = 18 floats, got 9$/);
    const rb = stepCase({ cell: 'gru', resetAfter: false, batch: 1, features: 2, units: 3 }).step;
    expectRefused(step, { ...rb, bias: new Float32Array(18) }, /^bias: expected 9 = 9 floats, got 18$/);
  });

  test('unknown names and bad dimensions are refused', () => {
    expectRefused(step, { ...lstmStep(), cell: 'constructor' as never }, /^cell: unknown cell 'constructor'; expected one of simple_rnn, lstm, gru$/);
    expectRefused(step, { ...lstmStep(), activation: 'toString' as never }, /^activation: unknown activation 'toString'/);
    expectRefused(step, { ...lstmStep(), recurrentActivation: 'swish' as never }, /^recurrentActivation: unknown activation 'swish'/);
    for (const bad of [-1, 1.5, NaN, '2'] as unknown[]) {
      expectRefused(step, { ...lstmStep(), batch: bad as number }, /^batch: expected a non-negative integer/);
    }
    expectRefused(step, { ...lstmStep(), resetAfter: 'yes' as never }, /^resetAfter: expected a boolean$/);
  });

  test('a huge or non-ASCII name is quoted shortened in the error, never whole', () => {
    const huge = 'x'.repeat(1 << 20);
    expectRefused(step, { ...lstmStep(), cell: huge as never }, new RegExp(`^cell: unknown cell '${'x'.repeat(63)}\\.\\.\\.'; expected one of simple_rnn, lstm, gru$`));
    expectRefused(step, { ...lstmStep(), activation: `tanh${'y'.repeat(200)}` as never }, /^activation: unknown activation 'tanhy{59}\.\.\.'; expected one of /);
    expectRefused(step, { ...lstmStep(), activation: 'tänh' as never }, /^activation: unknown activation 'tänh'; expected one of /);
    // 63 bytes are shown whole; the 64th is cut, at a whole character (é takes two bytes).
    expectRefused(step, { ...lstmStep(), activation: 'z'.repeat(63) as never }, /^activation: unknown activation 'z{63}'; expected/);
    expectRefused(step, { ...lstmStep(), activation: 'z'.repeat(64) as never }, /^activation: unknown activation 'z{63}\.\.\.'; expected/);
    expectRefused(step, { ...lstmStep(), activation: 'é'.repeat(40) as never }, /^activation: unknown activation 'é{31}\.\.\.'; expected/);
    // A name of the longest accepted length is read whole.
    const sig = lstmStep();
    expect(() => step({ ...sig, recurrentActivation: 'hard_sigmoid_legacy' as never })).not.toThrow();
  });

  test('a state sharing memory with another argument is refused', () => {
    const req = lstmStep();
    // h over the same memory as x (both 2x4 / 2x5 floats of one buffer, overlapping).
    const shared = new Float32Array(12);
    expectRefused(step, { ...req, x: shared.subarray(0, 8), h: shared.subarray(2, 12) }, /^h: shares memory with x; the step writes the new state over it/);
    const states = new Float32Array(20);
    expectRefused(step, { ...req, h: states.subarray(0, 10), c: states.subarray(5, 15) }, /^h: shares memory with c;/);
    expectRefused(step, { ...req, c: req.recurrentKernel.subarray(0, 10) }, /^c: shares memory with recurrentKernel;/);
    // Adjacent views of one buffer do not overlap: accepted.
    const both = new Float32Array(20);
    both.set(req.h, 0);
    both.set(req.c!, 10);
    expect(() => step({ ...req, h: both.subarray(0, 10), c: both.subarray(10, 20) })).not.toThrow();
  });

  test('a state over a SharedArrayBuffer is refused', () => {
    const h = new Float32Array(new SharedArrayBuffer(40));
    expectRefused(step, { ...lstmStep(), h }, /^h: arrays over a SharedArrayBuffer are not accepted/);
  });

  test('a request that is not an object is refused', () => {
    expect(() => step(null as unknown as StepRequest)).toThrow(/^step: expected a request object$/);
  });
});

/** Detaches the array's buffer (as postMessage with a transfer list does). */
function detach(array: Float32Array): void {
  const buffer = array.buffer as ArrayBuffer;
  structuredClone(buffer, { transfer: [buffer] });
}

describe('native step: buffers checked once are still checked for detachment', () => {
  test('an array used in a step, whose buffer is then transferred, is refused', () => {
    const req = lstmStep();
    impl.step(req);
    const h = req.h;
    detach(h);
    expect(() => impl.step({ ...req, h })).toThrow(/^h: the array's buffer is detached$/);
    // A kernel array checked in an earlier call, then transferred.
    const kernel = req.kernel.slice();
    impl.step({ ...req, h: new Float32Array(10), kernel });
    detach(kernel);
    expect(() => impl.step({ ...req, h: new Float32Array(10), kernel })).toThrow(/^kernel: the array's buffer is detached$/);
  });
});
