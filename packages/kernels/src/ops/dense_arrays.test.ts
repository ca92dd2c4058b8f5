import * as tf from '@tensorflow/tfjs';
import { activeImplementation, setImplementation } from '../backend/implementation_choice';
import { loadNativeAddon } from '../native/load';
import { denseArrays } from './dense_arrays';
import { denseMatMul, denseMatMulRunsNative } from './dense_matmul';
import { softmaxLastAxis } from './softmax_last_axis';
import { softmaxRows } from './softmax_rows';

const initial = activeImplementation().name;
afterAll(() => setImplementation(initial));

function values(n: number, seed: number): Float32Array {
  let a = seed;
  return Float32Array.from({ length: n }, () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return (a / 2147483648) * 4 - 2;
  });
}

const nativeAvailable = loadNativeAddon().ok;

describe('denseArrays', () => {
  (nativeAvailable ? test.each([[1, 256, 60], [3, 7, 5], [1, 1, 1], [9, 33, 130]]) : test.each([[0, 0, 0]]))(
    'rows=%i inputDim=%i units=%i: the bits of denseMatMul on the native kernels, with and without a bias',
    (rows, inputDim, units) => {
      if (!nativeAvailable) {
        expect(() => denseArrays({ x: new Float32Array(1), kernel: new Float32Array(1), bias: null, rows: 1, inputDim: 1, units: 1 })).toThrow(/needs the native addon/);
        return;
      }
      setImplementation('native');
      expect(denseMatMulRunsNative()).toBe(tf.getBackend() === 'cpu');
      const x = values(rows * inputDim, 1);
      const kernel = values(inputDim * units, 2);
      const bias = values(units, 3);
      for (const b of [bias, null]) {
        const expected = tf.tidy(() => denseMatMul(tf.tensor2d(x, [rows, inputDim]), tf.tensor2d(kernel, [inputDim, units]), b && tf.tensor1d(b)).dataSync());
        expect(denseArrays({ x, kernel, bias: b, rows, inputDim, units })).toEqual(expected);
      }
    },
  );

  test('lengths and sizes that do not fit are refused before the product runs', () => {
    const ok = { x: new Float32Array(6), kernel: new Float32Array(12), bias: new Float32Array(4), rows: 2, inputDim: 3, units: 4 };
    expect(() => denseArrays({ ...ok, x: new Float32Array(5) })).toThrow(/x must be a Float32Array of 6 values, got 5/);
    expect(() => denseArrays({ ...ok, kernel: new Float32Array(13) })).toThrow(/kernel must be a Float32Array of 12 values/);
    expect(() => denseArrays({ ...ok, bias: new Float32Array(3) })).toThrow(/bias must be a Float32Array of 4 values/);
    expect(() => denseArrays({ ...ok, rows: 0 })).toThrow(/rows must be a positive integer, got 0/);
    expect(() => denseArrays({ ...ok, units: 2.5 })).toThrow(/units must be a positive integer/);
    expect(() => denseArrays({ ...ok, x: [0, 0, 0, 0, 0, 0] as unknown as Float32Array })).toThrow(/x must be a Float32Array of 6 values, got object/);
  });
});

describe('softmaxRows', () => {
  test('the bits of softmaxLastAxis, in place or into another array; NaN and -Infinity as there', () => {
    const width = 13;
    const x = values(4 * width, 9).map((v) => v * 20);
    x[3] = -Infinity;
    x[width + 2] = NaN;
    const expected = tf.tidy(() => softmaxLastAxis(tf.tensor2d(x, [4, width])).dataSync());
    const out = new Float32Array(x.length);
    softmaxRows(x, width, out);
    expect(out).toEqual(expected);
    const inPlace = x.slice();
    softmaxRows(inPlace, width);
    expect(inPlace).toEqual(expected);
    expect(Array.from(out.subarray(width, 2 * width)).every(Number.isNaN)).toBe(true);
    expect(out[3]).toBe(0);
  });

  test('a width that does not divide the values, or an output of another length, is refused', () => {
    expect(() => softmaxRows(new Float32Array(6), 4)).toThrow(/rows of 4 values/);
    expect(() => softmaxRows(new Float32Array(6), 0)).toThrow(/rows of 0 values/);
    expect(() => softmaxRows(new Float32Array(6), 3, new Float32Array(5))).toThrow(/an output of 5/);
  });
});
