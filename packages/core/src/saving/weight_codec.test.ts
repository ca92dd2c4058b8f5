import { decodeWeights, encodeWeights, float16ToFloat32 } from './weight_codec';
import type { WeightSpec } from './weights_manifest';

test('encode then decode gives the same values, in order', () => {
  const { specs, data } = encodeWeights([
    { name: 'a/kernel', shape: [2, 2], dtype: 'float32', values: new Float32Array([1.5, -2, 3.25, 0.1]) },
    { name: 'opt/iteration', shape: [], dtype: 'int32', values: new Int32Array([7]) },
  ]);
  expect(data.byteLength).toBe(20);
  const decoded = decodeWeights(data, specs, 'weights.bin');
  expect(decoded.map((d) => [d.spec.name, d.dtype, Array.from(d.values)])).toEqual([
    ['a/kernel', 'float32', Array.from(new Float32Array([1.5, -2, 3.25, 0.1]))],
    ['opt/iteration', 'int32', [7]],
  ]);
});

test('quantized and bool weights are widened', () => {
  expect(float16ToFloat32(0x3c00)).toBe(1);
  expect(float16ToFloat32(0xc000)).toBe(-2);
  expect(float16ToFloat32(0x0001)).toBeCloseTo(5.96e-8, 10);
  const specs: WeightSpec[] = [
    { name: 'u8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
    { name: 'f16', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
    { name: 'flag', shape: [2], dtype: 'bool' },
  ];
  const data = Buffer.from([0, 2, 4, 0x00, 0x3c, 1, 0]);
  const decoded = decodeWeights(data, specs, 'w.bin');
  expect(Array.from(decoded[0].values)).toEqual([-1, 0, 1]);
  expect(Array.from(decoded[1].values)).toEqual([1]);
  expect(Array.from(decoded[2].values)).toEqual([1, 0]);
});

test('data shorter than the specs is refused with the weight and the file named', () => {
  expect(() => decodeWeights(Buffer.alloc(4), [{ name: 'k', shape: [2], dtype: 'float32' }], 'w.bin')).toThrow(/w\.bin: the weight "k" needs bytes 0\.\.8, but the data ends at 4/);
});
