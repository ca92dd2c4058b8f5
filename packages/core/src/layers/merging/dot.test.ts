import * as tf from '@tensorflow/tfjs';
import { input } from '../../engine/input_layer';
import type { SymbolicTensor } from '../../engine/symbolic';
import type { Tensor } from '../../engine/types';
import { runLayerTest } from '../../testing';
import { Dot } from './dot';

/** sum_k x[b, ..., k at axis a, ...] * y[b, ..., k at axis c, ...], the Keras output layout, by loops. */
function referenceDot(x: Tensor, y: Tensor, a: number, c: number): number[] {
  const xv = x.arraySync() as unknown;
  const yv = y.arraySync() as unknown;
  const at = (v: unknown, idx: number[]) => idx.reduce((acc: unknown, i) => (acc as unknown[])[i], v) as number;
  const xOther = x.shape.map((_, i) => i).filter((i) => i !== a && i !== 0);
  const yOther = y.shape.map((_, i) => i).filter((i) => i !== c && i !== 0);
  const out: number[] = [];
  const walk = (dims: number[], shape: number[], prefix: number[], fn: (idx: number[]) => void) => {
    if (prefix.length === dims.length) return fn(prefix);
    for (let i = 0; i < shape[dims[prefix.length]]; i++) walk(dims, shape, [...prefix, i], fn);
  };
  for (let b = 0; b < x.shape[0]; b++) {
    walk(xOther, x.shape, [], (xi) => walk(yOther, y.shape, [], (yi) => {
      let sum = 0;
      for (let k = 0; k < x.shape[a]; k++) {
        const xIdx = [b]; const yIdx = [b];
        xOther.forEach((d, n) => (xIdx[d] = xi[n])); xIdx[a] = k;
        yOther.forEach((d, n) => (yIdx[d] = yi[n])); yIdx[c] = k;
        sum += at(xv, xIdx) * at(yv, yIdx);
      }
      out.push(sum);
    }));
  }
  return out;
}

describe('Dot', () => {
  test("Keras's example: arange(10) as (1, 5, 2) . arange(10, 20) as (1, 2, 5) over axes (1, 2)", () => {
    const x = tf.range(0, 10).reshape([1, 5, 2]);
    const y = tf.range(10, 20).reshape([1, 2, 5]);
    expect((new Dot({ axes: [1, 2] }).apply([x, y]) as Tensor).arraySync()).toEqual([[[260, 360], [320, 445]]]);
  });

  test('attention shapes: scores over the feature axis, then the weighted sum over time', () => {
    const q = input({ shape: [4, 8] });
    const v = input({ shape: [6, 8] });
    const scores = new Dot({ axes: [2, 2] }).apply([q, v]) as SymbolicTensor;
    expect((scores as { shape: unknown }).shape).toEqual([null, 4, 6]);
    expect((new Dot({ axes: [2, 1] }).apply([scores, v]) as { shape: unknown }).shape).toEqual([null, 4, 8]);
    expect((new Dot({ axes: -1 }).apply([input({ shape: [8] }), input({ shape: [8] })]) as { shape: unknown }).shape).toEqual([null, 1]);
  });

  test('matches the definition for ranks 2 to 4 and every pair of axes', () => {
    const shapes: [number[], number[], number, number][] = [
      [[2, 3], [2, 3], 1, 1], [[2, 3], [2, 4, 3], 1, 2], [[2, 4, 3], [2, 3], 2, 1], [[2, 3, 4], [2, 3, 5], 1, 1],
      [[2, 3, 4], [2, 5, 4], -1, -1], [[2, 2, 3, 4], [2, 4, 5], 3, 1], [[2, 3, 2, 4], [2, 5, 3, 2], 1, 2],
    ];
    shapes.forEach(([s1, s2, a, c], i) => {
      const x = tf.randomNormal(s1, 0, 1, 'float32', i);
      const y = tf.randomNormal(s2, 0, 1, 'float32', 50 + i);
      const out = new Dot({ axes: [a, c] }).apply([x, y]) as Tensor;
      const expected = referenceDot(x, y, a < 0 ? a + s1.length : a, c < 0 ? c + s2.length : c);
      Array.from(out.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(expected[j], 4));
      expect(out.shape).toEqual(new Dot({ axes: [a, c] }).computeOutputShape([s1, s2]));
    });
  });

  test('normalize: cosine similarity; no output mask', () => {
    const cos = new Dot({ axes: 1, normalize: true }).apply([tf.tensor2d([[3, 4], [1, 0]]), tf.tensor2d([[4, 3], [0, 2]])]) as Tensor;
    expect(Array.from(cos.dataSync())).toEqual([expect.closeTo(0.96, 6), 0]);
    expect(new Dot({ axes: 1 }).computeMask()).toBeNull();
  });

  test('passes the shared layer test: attention scores, cosine similarity, a rank-4 result', () => {
    const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    runLayerTest({
      make: () => new Dot({ axes: [2, 2], name: 'scores' }), input: [randn([2, 3, 4], 1), randn([2, 5, 4], 2)], expectedOutputShape: [2, 3, 5], expectedWeights: [],
      mask: { input: tf.tensor2d([[1, 0, 1], [1, 1, 0]]).cast('bool'), expected: null },
    });
    runLayerTest({ make: () => new Dot({ axes: 1, normalize: true, name: 'cosine' }), input: [randn([2, 6], 3), randn([2, 6], 4)], expectedOutputShape: [2, 1] });
    runLayerTest({
      make: () => new Dot({ axes: [1, 2], name: 'four' }), input: [randn([2, 3, 2, 2], 5), randn([2, 4, 3], 6)], expectedOutputShape: [2, 2, 2, 4],
      // The file reads in tfjs, whose Dot then throws at predict: the input ranks are not in the config to refuse it by.
      tfjsInterop: { skip: "TensorFlow.js's Dot does not compute inputs of rank 4 or more" },
    });
  });

  test('errors name the axes and shapes', () => {
    expect(() => new Dot({ axes: [1, 2] }).apply([input({ shape: [3] }), input({ shape: [4, 5] })])).toThrow(/axis 1 of \(None, 3\) and axis 2 of \(None, 4, 5\) differ in size/);
    expect(() => new Dot({ axes: 0 }).apply([input({ shape: [3] }), input({ shape: [3] })])).toThrow(/axes 0 must name a non-batch axis of each input/);
    expect(() => new Dot({ axes: [1, 2, 3] as never })).toThrow(/Dot: axes: expected an integer or a list of two integers/);
    expect(() => new Dot({} as never)).toThrow(/Dot: axes: required/);
    const a = input({ shape: [3] });
    expect(() => new Dot({ axes: 1 }).apply([a, a, a])).toThrow(/expects exactly 2 inputs, got 3/);
  });
});
