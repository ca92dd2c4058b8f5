/**
 * Accuracy of the vectorised activations on every SIMD path. A SimpleRNN with one feature, one unit,
 * kernel 1, recurrent kernel 0 and one step outputs exactly act(x) for each batch row, so a dense
 * grid of x checks the approximations directly against float64.
 */
import { ACTIVATIONS, type KernelActivation } from '../spec';
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { activate } from './__tests__/reference_rnn';
import { typescriptImplementation } from '../typescript';

const { impl, addon } = requireNative();

function grid(): Float32Array {
  const xs: number[] = [];
  for (let x = -30; x <= 30; x += 0.00731) xs.push(x);
  xs.push(0, -0, 1e-8, -1e-8, 1e-30, 0.625, -0.625, 3, -3, 2.5, -2.5, 88, -88, 100, -100, 1e6, -1e6);
  return Float32Array.from(xs);
}

function applyNative(activation: KernelActivation, x: Float32Array): Float32Array {
  return impl.forward({
    cell: 'simple_rnn', batch: x.length, time: 1, features: 1, units: 1,
    activation, recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
    x, kernel: Float32Array.of(1), recurrentKernel: Float32Array.of(0), bias: null,
    initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
  }).outputs;
}

describe('native activations', () => {
  const x = grid();
  test.each(ACTIVATIONS)('%s is accurate on every SIMD path', (activation) => {
    forEachSimd(addon, (level) => {
      const y = applyNative(activation, x);
      let worstRelative = 0;
      let worstAbsolute = 0;
      for (let i = 0; i < x.length; i++) {
        const want = activate(activation, x[i]);
        const err = Math.abs(y[i] - want);
        worstAbsolute = Math.max(worstAbsolute, err);
        // relative error where the value is representable well above float32's smallest normals
        if (Math.abs(want) > 1e-30) worstRelative = Math.max(worstRelative, err / Math.abs(want));
      }
      const smooth = activation === 'tanh' || activation === 'sigmoid';
      if (smooth ? worstRelative > 1e-6 : worstAbsolute > 1.2e-7) {
        throw new Error(`${level} ${activation}: worst relative error ${worstRelative}, absolute ${worstAbsolute}`);
      }
    });
  });
});

describe('tanh in the vector body and in the one-float tail', () => {
  // 33 units: whole vectors (16 or 8 lanes) and one tail element, all given the row's x (kernel of
  // ones). Rows whose lanes are all below 0.625 in magnitude take the vector path that skips the
  // exponential; each row's 33 outputs must be the same bits wherever they were computed.
  test('the same bits in every position, for rows near zero, beyond 0.625 and around it, on every SIMD path', () => {
    const xs = Float32Array.from([0, -0, 1e-20, 0.1, -0.3, 0.6249, -0.6249, 0.625, -0.625, 0.6251, 0.9, -4, 12, 1e-3]);
    const units = 33;
    forEachSimd(addon, (level) => {
      const y = impl.forward({
        cell: 'simple_rnn', batch: xs.length, time: 1, features: 1, units,
        activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
        x: xs, kernel: new Float32Array(units).fill(1), recurrentKernel: new Float32Array(units * units), bias: null,
        initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
      }).outputs;
      xs.forEach((x, b) => {
        const row = Array.from(y.subarray(b * units, (b + 1) * units));
        expect([level, x, row.every((v) => Object.is(v, row[units - 1]))]).toEqual([level, x, true]);
        expect([level, x, Math.abs(row[0] - Math.tanh(x)) <= 1e-6 * Math.max(Math.abs(Math.tanh(x)), 1e-30)]).toEqual([level, x, true]);
      });
    });
  });
});

describe('NaN and infinite inputs', () => {
  // What the TypeScript kernels give (Math.tanh, 1/(1+exp(-x)), clipping that lets NaN through, relu
  // that maps NaN to 0): the native kernels must not turn a NaN into a finite number.
  const specials = Float32Array.of(NaN, Infinity, -Infinity, NaN, 0.5, NaN, -2, NaN, 7, NaN, 1e30, -1e30, NaN, 3, NaN, -3, NaN);
  test.each(ACTIVATIONS)('%s treats NaN and infinities as the TypeScript kernels do, on every SIMD path', (activation) => {
    const want = typescriptImplementation.forward({
      cell: 'simple_rnn', batch: specials.length, time: 1, features: 1, units: 1,
      activation, recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
      x: specials, kernel: Float32Array.of(1), recurrentKernel: Float32Array.of(0), bias: null,
      initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
    }).outputs;
    forEachSimd(addon, (level) => {
      const got = applyNative(activation, specials);
      for (let i = 0; i < specials.length; i++) {
        if (Number.isNaN(want[i])) expect([level, i, got[i]]).toEqual([level, i, NaN]);
        else expect([level, i, got[i] === want[i] || Math.abs(got[i] - want[i]) <= 1e-6]).toEqual([level, i, true]);
      }
    });
  });

  test('a NaN input makes the LSTM and GRU states NaN, not finite', () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const G = cell === 'lstm' ? 4 : 3;
      const result = impl.forward({
        cell, batch: 2, time: 3, features: 1, units: 2,
        activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
        x: Float32Array.of(0.1, NaN, 0.2, 0.3, 0.4, 0.5), kernel: new Float32Array(G * 2).fill(0.5),
        recurrentKernel: new Float32Array(2 * G * 2).fill(0.1), bias: null,
        initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
      });
      expect(Array.from(result.h.subarray(0, 2)).every(Number.isNaN)).toBe(true);
      expect(Array.from(result.h.subarray(2, 4)).every(Number.isFinite)).toBe(true);
    }
  });
});

describe('the tail of a row rounds as its vector body does', () => {
  // 21 units: with 8- or 16-float vectors, units 0-15 run in the vector body and 16-20 in the
  // one-float tail. Every unit gets the same weights, so every unit of a row must come out
  // bit-identical, on every SIMD path (exp and tanh use fused multiply-adds and a reciprocal
  // estimate, which the tail must reproduce exactly).
  const U = 21;

  test.each(ACTIVATIONS)('%s: every unit of a row is bit-identical', (activation) => {
    const x = grid();
    forEachSimd(addon, (level) => {
      const y = impl.forward({
        cell: 'simple_rnn', batch: x.length, time: 1, features: 1, units: U,
        activation, recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
        x, kernel: new Float32Array(U).fill(1), recurrentKernel: new Float32Array(U * U), bias: null,
        initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
      }).outputs;
      for (let b = 0; b < x.length; b++) {
        for (let u = 1; u < U; u++) {
          if (!Object.is(y[b * U + u], y[b * U])) throw new Error(`${level} ${activation}: x=${x[b]} unit ${u} gives ${y[b * U + u]}, unit 0 ${y[b * U]}`);
        }
      }
    });
  });

  test.each([
    ['lstm', 4, 2], ['lstm', 4, 40], ['gru', 3, 2], ['gru', 3, 40], ['simple_rnn', 1, 2],
  ] as const)('%s (gates %i), batch %i: the states of every unit are bit-identical over several steps', (cell, G, B) => {
    // Batch 2 reads the recurrent weights with the matrix-vector kernel, batch 40 with panels.
    const T = 4, F = 3;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const x = Float32Array.from({ length: B * T * F }, () => rand() * 3);
    // Column values depend on the gate block only: kernel [F, G*U], recurrent kernel [U, G*U].
    const perGate = (rows: number) => {
      const values = Array.from({ length: rows * G }, () => rand());
      return Float32Array.from({ length: rows * G * U }, (_, i) => values[Math.floor(i / (G * U)) * G + Math.floor((i % (G * U)) / U)]);
    };
    forEachSimd(addon, (level) => {
      const r = impl.forward({
        cell, batch: B, time: T, features: F, units: U,
        activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: false, zeroOutputForMask: false, resetAfter: true,
        x, kernel: perGate(F), recurrentKernel: perGate(U).map((v) => v * 0.3), bias: null,
        initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
      });
      for (let i = 0; i < r.outputs.length; i += U) {
        for (let u = 1; u < U; u++) {
          if (!Object.is(r.outputs[i + u], r.outputs[i])) throw new Error(`${level}: output row ${i / U} unit ${u} gives ${r.outputs[i + u]}, unit 0 ${r.outputs[i]}`);
        }
      }
    });
  });
});
