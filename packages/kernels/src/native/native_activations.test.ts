/**
 * Accuracy of the vectorised activations on every SIMD path. A SimpleRNN with one feature, one unit,
 * kernel 1, recurrent kernel 0 and one step outputs exactly act(x) for each batch row, so a dense
 * grid of x checks the approximations directly against float64.
 */
import { ACTIVATIONS, type KernelActivation } from '../spec';
import { forEachSimd, requireNative } from './__tests__/native_fixture';
import { activate } from './__tests__/reference_rnn';

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
