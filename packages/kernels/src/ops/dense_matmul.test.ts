import * as tf from '@tensorflow/tfjs';
import { activeImplementation, setImplementation } from '../backend/implementation_choice';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import { DENSE_MATMUL } from '../registration/dense_matmul_kernels';
import { denseMatMul } from './dense_matmul';

const initial = activeImplementation().name;
afterAll(() => setImplementation(initial));

/**
 * Largest |ours - reference| over the bound a float32 product may differ by: for each element,
 * k * 2^-23 * sum_p |a_ip| |b_pj| (the reference's own float32 rounding included).
 */
function worstRelativeToBound(ours: tf.Tensor, reference: tf.Tensor, a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const k = a.shape[1] as number;
    const bound = tf.mul(tf.matMul(tf.abs(a), tf.abs(b)), k * 2 ** -23).add(1e-30);
    return tf.max(tf.div(tf.abs(tf.sub(ours, reference)), bound)).dataSync()[0];
  });
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [33, 17, 130], [128, 128, 60], [2, 300, 9]];

describe.each(implementationsUnderTest())('denseMatMul on the %s kernels', (implementation) => {
  beforeAll(() => setImplementation(implementation));

  test.each(SHAPES)('m=%i k=%i n=%i: tf.matMul within float32 rounding, and its gradients too', (m, k, n) => {
    const a = tf.randomNormal([m, k], 0, 1, 'float32', m + k);
    const b = tf.randomNormal([k, n], 0, 1, 'float32', k + n);
    const dy = tf.randomNormal([m, n], 0, 1, 'float32', m + n);
    const ours = denseMatMul(a, b);
    const reference = tf.matMul(a, b);
    expect(ours.shape).toEqual([m, n]);
    expect(worstRelativeToBound(ours, reference, a, b)).toBeLessThanOrEqual(1);
    // The gradients of sum(dy * a·b): dy·bᵀ for a, aᵀ·dy for b, against tfjs's own gradient of tf.matMul.
    const oursGrads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(denseMatMul(x, y), dy)))([a, b]);
    const referenceGrads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), dy)))([a, b]);
    expect(oursGrads[0].shape).toEqual([m, k]);
    expect(oursGrads[1].shape).toEqual([k, n]);
    const dyT = tf.transpose(dy);
    expect(worstRelativeToBound(oursGrads[0], referenceGrads[0], dy, tf.transpose(b))).toBeLessThanOrEqual(1);
    expect(worstRelativeToBound(tf.transpose(oursGrads[1]), tf.transpose(referenceGrads[1]), dyT, a)).toBeLessThanOrEqual(1);
    tf.dispose([a, b, dy, dyT, ours, reference, ...oursGrads, ...referenceGrads]);
  });

  test('the gradient matches central finite differences of the loss', () => {
    const a = tf.randomNormal([4, 3], 0, 1, 'float32', 5);
    const b = tf.randomNormal([3, 2], 0, 1, 'float32', 6);
    const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(denseMatMul(x, y)));
    const [da] = tf.grads(loss)([a, b]);
    const av = a.arraySync() as number[][];
    const h = 1e-2;
    for (const [i, j] of [[0, 0], [2, 1], [3, 2]]) {
      const shifted = (d: number) => tf.tidy(() => {
        const copy = av.map((row) => row.slice());
        copy[i][j] += d;
        return loss(tf.tensor2d(copy), b).dataSync()[0];
      });
      const numeric = (shifted(h) - shifted(-h)) / (2 * h);
      // The loss is quadratic in a: central differences are exact up to float32 rounding of the sums.
      expect(Math.abs(numeric - (da.arraySync() as number[][])[i][j])).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
    }
    tf.dispose([a, b, da]);
  });

  test.each(SHAPES)('m=%i k=%i n=%i with a bias: the bits of the product then tf.add, gradients included', (m, k, n) => {
    const a = tf.randomNormal([m, k], 0, 1, 'float32', m + k);
    const b = tf.randomNormal([k, n], 0, 1, 'float32', k + n);
    const bias = tf.randomNormal([n], 0, 1, 'float32', n);
    const dy = tf.randomNormal([m, n], 0, 1, 'float32', m + n + 1);
    type Layer = (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) => tf.Tensor;
    const fused: Layer = (x, y, c) => denseMatMul(x, y, c);
    const separate: Layer = (x, y, c) => tf.add(denseMatMul(x, y), c);
    const ours = fused(a, b, bias);
    const reference = separate(a, b, bias);
    expect(ours.shape).toEqual([m, n]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(reference.dataSync()));
    const gradsOf = (f: Layer) => tf.grads((x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(x, y, c), dy)))([a, b, bias]);
    const oursGrads = gradsOf(fused);
    const referenceGrads = gradsOf(separate);
    expect(oursGrads.map((g) => g.shape)).toEqual([[m, k], [k, n], [n]]);
    oursGrads.forEach((g, i) => expect(Array.from(g.dataSync())).toEqual(Array.from(referenceGrads[i].dataSync())));
    tf.dispose([a, b, bias, dy, ours, reference, ...oursGrads, ...referenceGrads]);
  });

  test('training steps and products leave no tensor behind, with and without a bias', () => {
    const x = tf.randomNormal([16, 8], 0, 1, 'float32', 1);
    const w = tf.variable(tf.randomNormal([8, 4], 0, 1, 'float32', 2));
    const c = tf.variable(tf.randomNormal([4], 0, 1, 'float32', 3));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.add(tf.sum(tf.square(denseMatMul(x, w))), tf.sum(denseMatMul(x, w, c))), [w, c]);
      tf.tidy(() => {
        w.assign(tf.sub(w, tf.mul(grads[w.name], 0.01)));
        c.assign(tf.sub(c, tf.mul(grads[c.name], 0.01)));
      });
      tf.dispose([value, ...Object.values(grads)]);
      denseMatMul(x, w).dispose();
      denseMatMul(x, w, c).dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, c]);
  });
});

describe('denseMatMul', () => {
  test('runs the DenseMatMul kernel on the native kernels and is tf.matMul, bit for bit, on the TypeScript kernels', () => {
    const a = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
    const kernelsRun: string[] = [];
    const profileKernels = async (implementation: 'native' | 'typescript') => {
      setImplementation(implementation);
      const info = await tf.profile(() => denseMatMul(a, b));
      kernelsRun.push(`${implementation}: ${info.kernels.map((k) => k.name).join(',')}`);
    };
    setImplementation('typescript');
    const reference = tf.matMul(a, b);
    const ours = denseMatMul(a, b);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(reference.dataSync()));
    tf.dispose([ours, reference]);
    return (async () => {
      for (const implementation of implementationsUnderTest()) await profileKernels(implementation);
      expect(kernelsRun).toContain('typescript: BatchMatMul');
      if (implementationsUnderTest().includes('native')) expect(kernelsRun).toContain(`native: ${DENSE_MATMUL}`);
      tf.dispose([a, b]);
    })();
  });

  test('refuses what is not a 2-D float32 product, naming the operand and the fix', () => {
    const [a, tall, cube, ints] = [tf.zeros([2, 3]), tf.zeros([4, 2]), tf.zeros([2, 3, 1]), tf.zeros([3, 2], 'int32')];
    expect(() => denseMatMul(a, tall)).toThrow(/x \[2, 3\] has 3 columns but kernel \[4, 2\] has 4 rows/);
    expect(() => denseMatMul(cube, a)).toThrow(/2-D x, got shape \[2, 3, 1\].*reshape/);
    expect(() => denseMatMul(a, ints)).toThrow(/float32 kernel, got int32; cast/);
    expect(() => denseMatMul(null as unknown as tf.Tensor, a)).toThrow(/x to be a tf.Tensor, got null/);
    const [wide, square, wrong, intBias] = [tf.zeros([3, 4]), tf.zeros([2, 2]), tf.zeros([3]), tf.zeros([4], 'int32')];
    expect(() => denseMatMul(a, wide, wrong)).toThrow(/bias of shape \[4\] \(one value per kernel column\), got \[3\]/);
    expect(() => denseMatMul(a, wide, square)).toThrow(/bias of shape \[4\].*got \[2, 2\]/);
    expect(() => denseMatMul(a, wide, intBias)).toThrow(/float32 bias, got int32; cast/);
    expect(() => denseMatMul(a, wide, 'bias' as unknown as tf.Tensor)).toThrow(/bias to be a tf.Tensor or null, got string/);
    tf.dispose([a, tall, cube, ints, wide, square, wrong, intBias]);
  });

  test('the gradient of a transposed kernel call is refused with a clear error', () => {
    if (!implementationsUnderTest().includes('native')) return;
    setImplementation('native');
    const a = tf.ones([2, 3]);
    const b = tf.ones([2, 4]);
    const f = (x: tf.Tensor) => tf.sum(tf.engine().runKernel(DENSE_MATMUL, { a: x, b }, { transposeA: true, transposeB: false }) as tf.Tensor);
    expect(() => tf.grad(f)(a)).toThrow(/gradient of a transposed product is not supported/);
    tf.dispose([a, b]);
  });
});
