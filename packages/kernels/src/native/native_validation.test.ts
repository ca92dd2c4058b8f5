/**
 * Bad input never reaches memory: every wrong length, type, dimension or name throws an Error that
 * names the argument and what was expected. The addon checks its arguments itself (the adapter only
 * passes the fields on); the TypeScript kernels check theirs with the same wording. The process
 * carries on.
 */
import { BACKWARD_REQUEST_FIELDS, FORWARD_REQUEST_FIELDS, STEP_REQUEST_FIELDS, type BackwardRequest, type ForwardRequest } from '../spec';
import { typescriptImplementation } from '../typescript';
import { requireNative } from './__tests__/native_fixture';
import { randomRequest } from './__tests__/random_requests';

const { impl, addon } = requireNative();

type Caller = { name: string; forward: (r: ForwardRequest) => unknown; backward: (r: BackwardRequest) => unknown };
const callers: Caller[] = [
  { name: 'native kernels', forward: (r) => impl.forward(r), backward: (r) => impl.backward(r) },
  { name: 'TypeScript kernels', forward: (r) => typescriptImplementation.forward(r), backward: (r) => typescriptImplementation.backward(r) },
];

function lstmRequest(): ForwardRequest {
  // batch 2, time 3, features 4, units 5: kernel 4x20, recurrent kernel 5x20
  return randomRequest({ cell: 'lstm', batch: 2, time: 3, features: 4, units: 5, initialStates: true, mask: 'gaps', dropout: true });
}

/** A valid backward request for the implementation `forward` belongs to (workspaces differ). */
function backwardRequest(forward: (r: ForwardRequest) => unknown): BackwardRequest {
  const req = lstmRequest();
  const fwd = forward(req) as { workspace: Float32Array };
  return { ...req, workspace: fwd.workspace, dOutputs: new Float32Array(30), dH: new Float32Array(10), dC: new Float32Array(10) };
}

const forwardArrays: Array<[keyof ForwardRequest, string]> = [
  ['x', '2x3x4 = 24'],
  ['kernel', '4x20 = 80'],
  ['recurrentKernel', '5x20 = 100'],
  ['bias', '20 = 20'],
  ['initialH', '2x5 = 10'],
  ['initialC', '2x5 = 10'],
  ['mask', '2x3 = 6'],
  ['inputDropoutMask', '2x4 = 8'],
  ['recurrentDropoutMask', '2x5 = 10'],
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(callers)('validation through the $name', (caller) => {
  test.each(forwardArrays)('%s with a wrong length names the argument and the expected shape', (field, shape) => {
    const req = { ...lstmRequest(), [field]: new Float32Array(7) };
    expect(() => caller.forward(req)).toThrow(new RegExp(`^${escape(`${field}: expected ${shape} floats, got 7`)}$`));
  });

  test.each(['x', 'kernel', 'recurrentKernel'] as const)('%s of the wrong type is rejected', (field) => {
    for (const bad of [new Float64Array(24), [1, 2, 3], 42, undefined, null, new Int32Array(24)]) {
      const req = { ...lstmRequest(), [field]: bad } as unknown as ForwardRequest;
      expect(() => caller.forward(req)).toThrow(new RegExp(`^${field}: expected a Float32Array`));
    }
  });

  test('the recurrent kernel message gives the full expected shape', () => {
    const req = { ...randomRequest({ cell: 'lstm', batch: 1, time: 1, features: 3, units: 256 }), recurrentKernel: new Float32Array(1000) };
    expect(() => caller.forward(req)).toThrow('recurrentKernel: expected 256x1024 = 262144 floats, got 1000');
  });

  test('GRU bias shape follows resetAfter', () => {
    const ra = randomRequest({ cell: 'gru', units: 5, resetAfter: true });
    expect(() => caller.forward({ ...ra, bias: new Float32Array(15) })).toThrow(/^bias: expected 2x15 = 30 floats, got 15$/);
    const rb = randomRequest({ cell: 'gru', units: 5, resetAfter: false });
    expect(() => caller.forward({ ...rb, bias: new Float32Array(30) })).toThrow(/^bias: expected 15 = 15 floats, got 30$/);
  });

  test('unknown activations and cells are named', () => {
    expect(() => caller.forward({ ...lstmRequest(), activation: 'swish' as never })).toThrow(/^activation: unknown activation 'swish'/);
    expect(() => caller.forward({ ...lstmRequest(), recurrentActivation: 'elu' as never })).toThrow(/^recurrentActivation: unknown activation 'elu'/);
    expect(() => caller.forward({ ...lstmRequest(), cell: 'conv' as never })).toThrow(/^cell: unknown cell 'conv'/);
  });

  test('dimensions must be non-negative integers', () => {
    for (const bad of [-1, 2.5, Number.NaN, Infinity, '2']) {
      expect(() => caller.forward({ ...lstmRequest(), batch: bad as never })).toThrow(/^batch: expected a non-negative integer/);
    }
  });

  test('huge dimensions overflow into an error, not a crash', () => {
    const big = 2147483647;
    const req = { ...lstmRequest(), batch: big, time: big, features: big, units: big };
    expect(() => caller.forward(req)).toThrow(/too large|expected/);
  });

  test.each([
    ['workspace', 'workspace: expected'],
    ['dOutputs', 'dOutputs: expected 2x3x5 = 30 floats, got 7'],
    ['dH', 'dH: expected 2x5 = 10 floats, got 7'],
    ['dC', 'dC: expected 2x5 = 10 floats, got 7'],
  ] as const)('backward checks %s', (field, message) => {
    const req = { ...backwardRequest(caller.forward), [field]: new Float32Array(7) };
    expect(() => caller.backward(req)).toThrow(message);
  });
});

describe('the addon takes the fields of spec.ts, in order', () => {
  test('its argument lists are FORWARD_REQUEST_FIELDS and BACKWARD_REQUEST_FIELDS', () => {
    expect(addon.requestFields.forward).toEqual(FORWARD_REQUEST_FIELDS);
    expect(addon.requestFields.backward).toEqual(BACKWARD_REQUEST_FIELDS);
    expect(addon.requestFields.step).toEqual(STEP_REQUEST_FIELDS);
  });
});

describe('the addon survives bad calls', () => {
  test('missing arguments, bad gemm arguments and bad settings throw', () => {
    expect(() => addon.forward()).toThrow(/^cell: expected a string$/);
    // A request object where the fields belong (the adapter's job) is refused, not read.
    expect(() => addon.forward(lstmRequest())).toThrow(/^cell: expected a string$/);
    expect(() => addon.backward(...FORWARD_REQUEST_FIELDS.map((name) => lstmRequest()[name]))).toThrow(/^workspace: expected a Float32Array/);
    expect(() => impl.forward(null as never)).toThrow(/^forward: expected a request object$/);
    expect(() => addon.gemm(2, 3, 4, new Float32Array(8), new Float32Array(11), false, false)).toThrow('b: expected 4x3 = 12 floats, got 11');
    expect(() => addon.gemm(2, 3, 4, new Float32Array(9), new Float32Array(12), true, false)).toThrow('a: expected 4x2 = 8 floats, got 9');
    expect(() => addon.gemm(2, 3, 4, new Float32Array(8), new Float32Array(12), false, false, new Float32Array(5))).toThrow('out: expected 2x3 = 6 floats, got 5');
    expect(() => addon.gemm(-1, 3, 4, new Float32Array(8), new Float32Array(12), false, false)).toThrow(/^m: expected a non-negative integer/);
    expect(() => addon.setSimd('neon' as never)).toThrow(/setSimd: 'neon' is not available/);
    expect(() => addon.setThreads(0)).toThrow(/threads: expected an integer from 1 to 64/);
    expect(() => addon.workspaceSize('lstm', 2147483647, 2147483647, 1, 2147483647, true)).toThrow(/too large/);
  });

  test('after all of that, a valid call still works', () => {
    const req = lstmRequest();
    const fwd = impl.forward(req);
    expect(fwd.outputs.length).toBe(30);
    expect(Array.from(fwd.outputs).every(Number.isFinite)).toBe(true);
  });

  test('empty problems are fine', () => {
    for (const sizes of [{ batch: 0 }, { time: 0 }, { units: 0 }, { features: 0 }]) {
      const req = randomRequest({ cell: 'gru', ...sizes });
      const fwd = impl.forward(req);
      const grads = impl.backward({ ...req, workspace: fwd.workspace, dOutputs: null, dH: null, dC: null });
      expect(grads.dx.length).toBe(req.batch * req.time * req.features);
      expect(grads.dhNorms.length).toBe(req.time);
    }
  });
});
