/**
 * The addon's fused 1-D convolution against the TypeScript kernels (which the op tests check against
 * tf.conv1d and finite differences), on every SIMD path, single- and multi-threaded; and its checks of
 * every argument before any memory is read.
 */
import { setMemoryLimit } from '../backend/memory_limit';
import {
  CONV1D_BACKWARD_FIELDS, CONV1D_FORWARD_FIELDS, conv1dSteps, type Conv1DBackwardRequest, type Conv1DDims, type Conv1DForwardRequest,
} from '../conv1d_spec';
import { typescriptConv1D } from '../typescript/conv1d';
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { seededRandom } from './__tests__/random_requests';
import { createNativeConv1D } from './native_implementation';

const { addon } = requireNative();
const native = createNativeConv1D(addon);

/** A request for both calls: no bias, linear (the epilogue has its own tests below). */
function request(dims: Conv1DDims, seed: number): Conv1DForwardRequest & Conv1DBackwardRequest {
  const rand = seededRandom(seed);
  const fill = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  const steps = conv1dSteps(dims.length, dims.kernelSize, dims.stride, dims.dilation);
  return {
    ...dims,
    x: fill(dims.batch * dims.length * dims.channels),
    kernel: fill(dims.kernelSize * dims.channels * dims.filters),
    dy: fill(dims.batch * steps * dims.filters),
    bias: null,
    activation: 'linear',
    y: null,
  };
}

function expectClose(got: Float32Array, want: Float32Array, what: string): void {
  expect({ what, length: got.length }).toEqual({ what, length: want.length });
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  expect({ what, worst: worst < 1e-5 ? 'within 1e-5' : worst }).toEqual({ what, worst: 'within 1e-5' });
}

// [batch, length, channels, filters, kernelSize, stride, dilation]: widths off the SIMD tiles (17, 37,
// 45 columns; fewer rows than a tile), strides and dilations, a window as long as the input, one tap,
// a depth beyond one L1 block (kernelSize*channels > 256), and M1's shape (threaded: > 1e6 multiply-adds).
const CASES: Array<[number, number, number, number, number, number, number]> = [
  [2, 13, 3, 5, 3, 1, 1],
  [3, 40, 17, 37, 5, 2, 1],
  [2, 50, 33, 19, 4, 1, 3],
  [1, 31, 7, 45, 2, 3, 1],
  [2, 9, 4, 6, 9, 1, 1],
  [3, 11, 5, 1, 1, 1, 1],
  [2, 30, 70, 33, 5, 1, 1],
  [1, 600, 3, 2, 3, 4, 1],
  [8, 120, 128, 64, 5, 1, 1],
  [4, 90, 40, 48, 3, 1, 2],
];

describe('native conv1d', () => {
  test.each(CASES)('B=%i L=%i C=%i F=%i kernel %i stride %i dilation %i: forward, dx and dKernel as the TypeScript kernels, every SIMD path', (batch, length, channels, filters, kernelSize, stride, dilation) => {
    const req = request({ batch, length, channels, filters, kernelSize, stride, dilation }, batch * 1000 + length + channels);
    const y = typescriptConv1D.forward(req);
    const grads = typescriptConv1D.backward(req);
    forEachSimd(addon, (level) => {
      expectClose(native.forward(req), y, `${level} y`);
      const got = native.backward(req);
      expectClose(got.dx, grads.dx, `${level} dx`);
      expectClose(got.dKernel, grads.dKernel, `${level} dKernel`);
      const withoutDx = native.backward({ ...req, computeInputGradient: false });
      expect(withoutDx.dx.length).toBe(0);
      expectClose(withoutDx.dKernel, grads.dKernel, `${level} dKernel without dx`);
    });
  });

  test.each([[false, true], [true, false], [true, true]])('bias %s, relu %s: the same bits as the product followed by the separate epilogue, every SIMD path', (withBias, relu) => {
    const dims = { batch: 3, length: 40, channels: 17, filters: 37, kernelSize: 5, stride: 2, dilation: 1 };
    const base = request(dims, 11);
    const bias = withBias ? Float32Array.from({ length: dims.filters }, (_, f) => Math.sin(f) * 0.5) : null;
    const activation = relu ? 'relu' : 'linear';
    forEachSimd(addon, (level) => {
      // The reference epilogue in float32 steps: y + bias rounded, then max(0, .).
      const product = native.forward(base);
      const want = product.map((v, i) => {
        const z = bias === null ? v : Math.fround(v + bias[i % dims.filters]);
        return relu ? Math.max(0, z) : z;
      });
      const y = native.forward({ ...base, bias, activation });
      expect({ level, same: y.every((v, i) => Object.is(v, want[i])) }).toEqual({ level, same: true });
      // Backward: relu masks dy by y; the product's gradients are those of the masked dy.
      const dz = relu ? base.dy.map((g, i) => (y[i] > 0 ? g : g * 0)) : base.dy;
      const productGrads = native.backward({ ...base, dy: dz });
      const got = native.backward({ ...base, activation, dy: base.dy, y: relu ? y : null, computeBiasGradient: withBias });
      expect({ level, dx: got.dx, dKernel: got.dKernel }).toEqual({ level, dx: productGrads.dx, dKernel: productGrads.dKernel });
      const tsGrads = typescriptConv1D.backward({ ...base, activation, y: relu ? y : null, computeBiasGradient: withBias });
      // The bias gradient is rounded as tfjs's matrix product rounds ones · dz, in both implementations.
      expect({ level, dBias: got.dBias }).toEqual({ level, dBias: tsGrads.dBias });
      expect(got.dBias.length).toBe(withBias ? dims.filters : 0);
    });
  });

  test('results overwrite recycled memory completely (zero where no window reads x)', () => {
    // stride 3 over kernel 2 leaves every third input step unread: its dx must be exactly 0.
    const req = request({ batch: 2, length: 300, channels: 300, filters: 8, kernelSize: 2, stride: 3, dilation: 1 }, 5);
    for (let round = 0; round < 3; round++) {
      const { dx } = native.backward(req);
      for (let b = 0; b < 2; b++) for (let c = 0; c < 300; c++) expect(dx[(b * 300 + 2) * 300 + c]).toBe(0);
      addon.recycleResult(dx);
    }
  });

  test('empty sizes give zeros or empty results', () => {
    for (const dims of [
      { batch: 0, length: 5, channels: 3, filters: 2, kernelSize: 2, stride: 1, dilation: 1 },
      { batch: 2, length: 5, channels: 0, filters: 2, kernelSize: 2, stride: 1, dilation: 1 },
      { batch: 2, length: 5, channels: 3, filters: 0, kernelSize: 2, stride: 1, dilation: 1 },
    ]) {
      const req = request(dims, 9);
      expect(Array.from(native.forward(req))).toEqual(Array.from(typescriptConv1D.forward(req)));
      const got = native.backward(req);
      const want = typescriptConv1D.backward(req);
      expect(Array.from(got.dx)).toEqual(Array.from(want.dx));
      expect(Array.from(got.dKernel)).toEqual(Array.from(want.dKernel));
    }
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const callers = [
  { name: 'native kernels', impl: native },
  { name: 'TypeScript kernels', impl: typescriptConv1D },
];
const dims: Conv1DDims = { batch: 2, length: 7, channels: 3, filters: 4, kernelSize: 3, stride: 2, dilation: 1 };

describe.each(callers)('conv1d validation through the $name', ({ impl }) => {
  test.each([
    ['x', '2x7x3 = 42'],
    ['kernel', '3x3x4 = 36'],
  ] as const)('%s with a wrong length names the argument and the expected shape', (field, shape) => {
    const req = { ...request(dims, 1), [field]: new Float32Array(5) };
    expect(() => impl.forward(req)).toThrow(new RegExp(`^${escape(`${field}: expected ${shape} floats, got 5`)}$`));
    expect(() => impl.backward(req)).toThrow(new RegExp(`^${escape(`${field}: expected ${shape} floats, got 5`)}$`));
  });

  test('dy with a wrong length, or of the wrong type', () => {
    // 3 output steps: floor((7 - 3) / 2) + 1.
    expect(() => impl.backward({ ...request(dims, 1), dy: new Float32Array(5) })).toThrow(/^dy: expected 2x3x4 = 24 floats, got 5$/);
    for (const bad of [new Float64Array(24), [1, 2], null, undefined]) {
      expect(() => impl.backward({ ...request(dims, 1), dy: bad as never })).toThrow(/^dy: expected a Float32Array of 2x3x4 = 24 floats, got/);
    }
  });

  test('sizes: negative, fractional or zero windows, and a window longer than the input', () => {
    for (const [field, value] of [['batch', -1], ['length', 2.5], ['channels', Number.NaN], ['filters', '4']] as const) {
      expect(() => impl.forward({ ...request(dims, 1), [field]: value } as never)).toThrow(new RegExp(`^${field}: expected a non-negative integer`));
    }
    for (const field of ['kernelSize', 'stride', 'dilation'] as const) {
      expect(() => impl.forward({ ...request(dims, 1), [field]: 0 })).toThrow(new RegExp(`^${field}: expected a positive integer, got 0$`));
    }
    const long = { ...request(dims, 1), dilation: 4 };
    expect(() => impl.forward(long)).toThrow(/^length: the input has 7 steps, fewer than the 9 one window of kernelSize 3 and dilation 4 covers; pad it or use a smaller window$/);
  });

  test('bias, activation and y are checked: shape, name, and y required for relu', () => {
    expect(() => impl.forward({ ...request(dims, 1), bias: new Float32Array(3) })).toThrow(/^bias: expected 4 = 4 floats, got 3$/);
    expect(() => impl.forward({ ...request(dims, 1), activation: 'tanh' as never })).toThrow(/^activation: expected 'linear' or 'relu', got 'tanh'$/);
    expect(() => impl.backward({ ...request(dims, 1), activation: 'relu' })).toThrow(/^y: expected a Float32Array of 2x3x4 = 24 floats, got/);
    expect(() => impl.backward({ ...request(dims, 1), activation: 'relu', y: new Float32Array(23) })).toThrow(/^y: expected 2x3x4 = 24 floats, got 23$/);
    expect(() => impl.backward({ ...request(dims, 1), computeBiasGradient: 1 as never })).toThrow(/^computeBiasGradient: expected a boolean$/);
  });

  test('computeInputGradient must be a boolean; arrays over shared memory are refused', () => {
    expect(() => impl.backward({ ...request(dims, 1), computeInputGradient: 'yes' as never })).toThrow(/^computeInputGradient: expected a boolean$/);
    const shared = new Float32Array(new SharedArrayBuffer(42 * 4));
    expect(() => impl.forward({ ...request(dims, 1), x: shared })).toThrow(/^x: arrays over a SharedArrayBuffer are not accepted/);
  });
});

describe('the addon conv1d boundary', () => {
  const call = (fn: (...a: unknown[]) => unknown, req: Record<string, unknown>, fields: readonly string[]) => () => fn(...fields.map((f) => req[f]));

  test('too few arguments are a TypeError naming the argument list', () => {
    expect(() => addon.conv1dForward(1, 2, 3)).toThrow(/conv1dForward: expected \(batch, length, channels, filters, kernelSize, stride, dilation, x, kernel, bias, activation\)/);
    expect(() => addon.conv1dBackward(1, 2, 3)).toThrow(/conv1dBackward: expected \(batch, .*dy, computeInputGradient, computeBiasGradient, y\)/);
  });

  test('results beyond the memory limit are refused before anything is allocated', () => {
    // No channels: empty inputs, and a 2^24 x 8 output of 512 MB.
    const req = {
      batch: 1, length: 1 << 24, channels: 0, filters: 8, kernelSize: 1, stride: 1, dilation: 1, x: new Float32Array(0), kernel: new Float32Array(0),
      bias: null, activation: 'linear', y: null,
    };
    try {
      setMemoryLimit(64 * 2 ** 20);
      expect(call(addon.conv1dForward, req, CONV1D_FORWARD_FIELDS)).toThrow(/above the limit of 64 MB/);
      // No filters: a 16 MB input, and its 16 MB gradient as the only result.
      const back = { ...req, length: 1 << 22, channels: 1, filters: 0, x: new Float32Array(1 << 22), kernel: new Float32Array(0), dy: new Float32Array(0) };
      setMemoryLimit(8 * 2 ** 20);
      expect(call(addon.conv1dBackward, { ...back, computeInputGradient: true }, CONV1D_BACKWARD_FIELDS)).toThrow(/above the limit of 8 MB/);
      expect(call(addon.conv1dBackward, { ...back, computeInputGradient: false }, CONV1D_BACKWARD_FIELDS)).not.toThrow();
    } finally {
      setMemoryLimit(undefined);
    }
  });
});
