import * as tf from '@tensorflow/tfjs';
import { modelFromJSON } from '../../config/model_from_json';
import { modelToJSON } from '../../config/model_to_json';
import { input } from '../../engine/input_layer';
import { resetNameCounters } from '../../engine/names';
import type { Tensor } from '../../engine/types';
import { Sequential } from '../../models/sequential';
import { runLayerTest } from '../../testing';
import { Conv1D, fusedConv1DUnsupportedReason } from './conv1d';

/** Direct definition of a 1-D convolution, one output element at a time, in float64. */
function referenceConv(x: number[][][], kernel: number[][][], bias: number[], stride: number, dilation: number, padBefore: number, outLen: number): number[][][] {
  const [k, cin] = [kernel.length, kernel[0].length];
  return x.map((seq) => Array.from({ length: outLen }, (_, t) => bias.map((b, f) => {
    let sum = b;
    for (let j = 0; j < k; j++) {
      const step = t * stride + j * dilation - padBefore;
      if (step < 0 || step >= seq.length) continue;
      for (let c = 0; c < cin; c++) sum += seq[step][c] * kernel[j][c][f];
    }
    return sum;
  })));
}

function values(shape: number[], seed: number): Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

function built(args: ConstructorParameters<typeof Conv1D>[0], channels: number): Conv1D {
  const layer = new Conv1D(args);
  layer.maybeBuild([null, null, channels]);
  return layer;
}

describe('Conv1D', () => {
  beforeEach(() => resetNameCounters());

  test('a hand-computed example: kernel [1, -1] takes differences, causal and same padding place zeros as Keras does', () => {
    const x = tf.tensor3d([[[1], [4], [9], [16]]]);
    const diff = (padding: 'valid' | 'same' | 'causal') => {
      const layer = built({ filters: 1, kernelSize: 2, padding, kernelInitializer: 'zeros' }, 1);
      layer.setWeights([tf.tensor3d([[[-1]], [[1]]]), tf.tensor1d([0])]);
      return (layer.apply(x) as Tensor).reshape([-1]).arraySync();
    };
    expect(diff('valid')).toEqual([3, 5, 7]);
    // TensorFlow's 'same' puts the one padding step after the sequence; 'causal' puts it before.
    expect(diff('same')).toEqual([3, 5, 7, -16]);
    expect(diff('causal')).toEqual([1, 3, 5, 7]);
  });

  test('matches the direct definition for strides, dilation, padding and bias', () => {
    const cases: [number, number, 'valid' | 'same' | 'causal', number][] = [
      [3, 1, 'valid', 1], [3, 2, 'valid', 1], [4, 3, 'same', 1], [3, 1, 'same', 2], [5, 1, 'causal', 2], [2, 2, 'causal', 1], [1, 3, 'same', 1],
    ];
    for (const [kernelSize, strides, padding, dilationRate] of cases) {
      const layer = built({ filters: 3, kernelSize, strides, padding, dilationRate }, 2);
      const kernel = values([kernelSize, 2, 3], 1);
      const bias = values([3], 2);
      layer.setWeights([kernel, bias]);
      const x = values([2, 9, 2], 3);
      const y = layer.apply(x) as Tensor;
      const span = dilationRate * (kernelSize - 1);
      const outLen = padding === 'valid' ? Math.floor((9 - span - 1) / strides) + 1 : Math.ceil(9 / strides);
      const total = Math.max((outLen - 1) * strides + span + 1 - 9, 0);
      const before = padding === 'valid' ? 0 : padding === 'causal' ? span : Math.floor(total / 2);
      const expected = referenceConv(x.arraySync() as number[][][], kernel.arraySync() as number[][][], bias.arraySync() as number[], strides, dilationRate, before, outLen);
      expect(y.shape).toEqual([2, outLen, 3]);
      const got = y.arraySync() as number[][][];
      got.flat(2).forEach((v, i) => expect(v).toBeCloseTo(expected.flat(2)[i], 5));
      tf.dispose([kernel, bias, x, y]);
    }
  });

  test('matches tf.conv1d (valid and same)', () => {
    for (const padding of ['valid', 'same'] as const) {
      const layer = built({ filters: 4, kernelSize: 3, padding, useBias: false }, 5);
      const kernel = values([3, 5, 4], 4);
      layer.setWeights([kernel]);
      const x = values([3, 11, 5], 5);
      const ours = layer.apply(x) as Tensor;
      const theirs = tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, 1, padding);
      expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([kernel, x, ours, theirs]);
    }
  });

  test('one group runs as the fused op; grouped convolutions keep the tap products and say why', async () => {
    expect(fusedConv1DUnsupportedReason(1)).toBeNull();
    expect(fusedConv1DUnsupportedReason(2)).toBe('groups is 2: the fused op computes a single group');
    const kernelsOf = async (groups: number) => {
      const layer = built({ filters: 4, kernelSize: 3, groups, padding: 'same' }, 4);
      const x = values([2, 7, 4], 20);
      const profile = await tf.profile(() => { (layer.apply(x) as Tensor).dispose(); });
      x.dispose();
      return profile.kernelNames;
    };
    expect(await kernelsOf(1)).toContain('Conv1DFused');
    expect(await kernelsOf(2)).not.toContain('Conv1DFused');
  });

  test('relu and linear run inside the fused op with the bias: the same bits as the bias and activation as separate ops', async () => {
    // The same function, not built in: the layer then adds the bias and applies it as ops of their own.
    const separateRelu = (t: Tensor) => tf.relu(t);
    for (const [activation, dataFormat] of [['relu', 'channels_last'], ['linear', 'channels_last'], ['relu', 'channels_first']] as const) {
      tf.tidy(() => {
        const make = (act: ConstructorParameters<typeof Conv1D>[0]['activation']) => {
          const layer = new Conv1D({ filters: 37, kernelSize: 5, padding: 'same', activation: act, dataFormat });
          layer.maybeBuild(dataFormat === 'channels_last' ? [null, null, 17] : [null, 17, null]);
          return layer;
        };
        const fused = make(activation);
        const separate = make(activation === 'relu' ? separateRelu : (t: Tensor) => t);
        const weights = [values([5, 17, 37], 31), values([37], 32)];
        fused.setWeights(weights);
        separate.setWeights(weights);
        const x = values(dataFormat === 'channels_last' ? [3, 23, 17] : [3, 17, 23], 33);
        const w = values(dataFormat === 'channels_last' ? [3, 23, 37] : [3, 37, 23], 34);
        const run = (layer: Conv1D) => {
          const vars = layer.trainableWeights.map((v) => v.val);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(tf.mul(x, 1)) as Tensor, w)) as tf.Scalar, vars);
          const dx = tf.grad((a: Tensor) => tf.sum(tf.mul(layer.apply(a) as Tensor, w)))(x);
          return [layer.apply(x) as Tensor, value, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
        };
        const [ours, theirs] = [run(fused), run(separate)];
        ours.forEach((got, i) => expect({ activation, dataFormat, i, got }).toEqual({ activation, dataFormat, i, got: theirs[i] }));
      });
    }
    const profileOf = async (activation: 'relu' | 'tanh') => {
      const layer = built({ filters: 4, kernelSize: 3, activation }, 4);
      const x = values([2, 7, 4], 35);
      const profile = await tf.profile(() => { (layer.apply(x) as Tensor).dispose(); });
      x.dispose();
      return profile.kernelNames;
    };
    expect(await profileOf('relu')).not.toContain('Relu');
    expect(await profileOf('tanh')).toEqual(expect.arrayContaining(['Conv1DFused', 'Tanh']));
  });

  test('gradients of x and the kernel as tf.conv1d over the padded input (same, causal; strided, odd sizes)', () => {
    const cases: ['same' | 'causal' | 'valid', number, number, number][] = [['same', 2, 5, 17], ['causal', 1, 3, 33], ['valid', 3, 2, 7], ['same', 1, 4, 9]];
    for (const [padding, strides, kernelSize, channels] of cases) {
      tf.tidy(() => {
        const layer = built({ filters: 37, kernelSize, strides, padding, useBias: false }, channels);
        const kernel = values([kernelSize, channels, 37], 21);
        layer.setWeights([kernel]);
        const x = values([3, 19, channels], 22);
        const span = kernelSize - 1;
        const out = padding === 'valid' ? Math.floor((19 - span - 1) / strides) + 1 : Math.ceil(19 / strides);
        const total = padding === 'valid' ? 0 : Math.max((out - 1) * strides + span + 1 - 19, 0);
        const before = padding === 'causal' ? span : Math.floor(total / 2);
        const after = padding === 'causal' ? 0 : total - before;
        const w = values([3, out, 37], 23);
        const variable = layer.kernel!.val;
        const got = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(tf.mul(x, 1)) as Tensor, w)) as tf.Scalar, [variable]);
        const dx = tf.grad((a: Tensor) => tf.sum(tf.mul(layer.apply(a) as Tensor, w)))(x);
        const reference = (a: Tensor, k: Tensor) => tf.sum(tf.mul(tf.conv1d(tf.pad(a, [[0, 0], [before, after], [0, 0]]) as tf.Tensor3D, k as tf.Tensor3D, strides, 'valid'), w));
        const [refDx, refDk] = tf.grads(reference)([x, kernel]);
        const close = (a: Tensor, b: Tensor) => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.add(tf.abs(b), 1))).dataSync()[0];
        expect({ padding, strides, dx: close(dx, refDx) < 1e-5, dKernel: close(got.grads[variable.name], refDk) < 1e-5 })
          .toEqual({ padding, strides, dx: true, dKernel: true });
      });
    }
  });

  test('groups: each group of channels sees only its own filters', () => {
    const layer = built({ filters: 4, kernelSize: 2, groups: 2 }, 6);
    const kernel = values([2, 3, 4], 6);
    const bias = values([4], 7);
    layer.setWeights([kernel, bias]);
    const x = values([2, 5, 6], 8);
    const y = layer.apply(x) as Tensor;
    for (let g = 0; g < 2; g++) {
      const part = built({ filters: 2, kernelSize: 2 }, 3);
      const kPart = kernel.slice([0, 0, 2 * g], [2, 3, 2]);
      const bPart = bias.slice([2 * g], [2]);
      part.setWeights([kPart, bPart]);
      const expected = part.apply(x.slice([0, 0, 3 * g], [2, 5, 3])) as Tensor;
      const got = y.slice([0, 0, 2 * g], [2, 4, 2]);
      expect(tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([kPart, bPart, expected, got]);
    }
    tf.dispose([kernel, bias, x, y]);
  });

  test('channels_first is channels_last with the two axes swapped', () => {
    const last = built({ filters: 3, kernelSize: 2, padding: 'same' }, 4);
    const first = new Conv1D({ filters: 3, kernelSize: 2, padding: 'same', dataFormat: 'channels_first' });
    first.maybeBuild([null, 4, null]);
    const w = last.getWeights();
    first.setWeights(w);
    const x = values([2, 6, 4], 9);
    const a = last.apply(x) as Tensor;
    const b = first.apply(x.transpose([0, 2, 1])) as Tensor;
    expect(b.shape).toEqual([2, 3, 6]);
    expect(tf.max(tf.abs(tf.sub(a, b.transpose([0, 2, 1])))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([...w, x, a, b]);
  });

  test('passes the shared layer test: valid, strided, dilated; causal with groups and channels_first in Keras 3 only', () => {
    const steps = (n: number) => tf.tensor2d([[1, 1, 0, 1, 1, 1, 0].slice(0, n), [1, 0, 1, 1, 0, 1, 1].slice(0, n)]).cast('bool');
    runLayerTest({
      make: () => new Conv1D({ filters: 3, kernelSize: 3, activation: 'tanh', name: 'conv' }), input: values([2, 7, 2], 11),
      expectedOutputShape: [2, 5, 3], expectedWeights: ['kernel', 'bias'], supportsMasking: false, mask: { input: steps(7), expected: null },
    });
    runLayerTest({
      make: () => new Conv1D({ filters: 5, kernelSize: 3, activation: 'relu', name: 'relu' }), input: values([2, 7, 3], 15),
      expectedOutputShape: [2, 5, 5], expectedWeights: ['kernel', 'bias'],
    });
    runLayerTest({
      make: () => new Conv1D({ filters: 2, kernelSize: [2], strides: 2, padding: 'same', name: 'strided' }), input: values([2, 7, 3], 12),
      expectedOutputShape: [2, 4, 2], expectedWeights: ['kernel', 'bias'],
    });
    runLayerTest({
      make: () => new Conv1D({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false, name: 'dilated' }), input: values([2, 6, 2], 13),
      expectedOutputShape: [2, 6, 4], expectedWeights: ['kernel'],
    });
    // tfjs has no causal padding, no groups and no channels_first Conv1D.
    runLayerTest({
      make: () => new Conv1D({ filters: 4, kernelSize: 3, padding: 'causal', groups: 2, name: 'causal' }), input: values([2, 6, 4], 14),
      expectedOutputShape: [2, 6, 4], expectedWeights: ['kernel', 'bias'], mask: { input: steps(6), expected: null },
      unsupportedDialects: { tfjs: /groups: Conv1D 'causal' cannot be written for TensorFlow.js: TensorFlow.js has no grouped Conv1D/ },
    });
    runLayerTest({
      make: () => new Conv1D({ filters: 2, kernelSize: 2, dataFormat: 'channels_first', name: 'first' }), input: values([2, 3, 5], 15),
      expectedOutputShape: [2, 2, 4], unsupportedDialects: { tfjs: /data_format: Conv1D 'first' cannot be written for TensorFlow.js: TensorFlow.js's Conv1D is channels_last only/ },
    });
  });

  test('the tfjs dialect refuses what tfjs cannot compute, naming the key', () => {
    const m = new Sequential({ layers: [new Conv1D({ filters: 4, kernelSize: 3, padding: 'causal', groups: 2, name: 'c', inputShape: [6, 4] })] });
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/padding: Conv1D 'c' cannot be written for TensorFlow.js: TensorFlow.js's Conv1D does not implement causal padding/);
    expect(() => modelToJSON(m, { dialect: 'tfjs' })).toThrow(/groups: Conv1D 'c' cannot be written for TensorFlow.js: TensorFlow.js has no grouped Conv1D/);
    // 'auto' falls back to Keras 3's spelling, which keeps everything.
    const { batchInputShape, ...config } = m.layers[0].getConfig();
    expect(batchInputShape).toEqual([null, 6, 4]);
    expect(modelFromJSON(modelToJSON(m)).layers[0].getConfig()).toEqual(config);
  });

  test('argument and shape errors are clear', () => {
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides > 1 together with dilationRate > 1 is not supported/);
    expect(() => new Conv1D({ filters: 3, kernelSize: 2, groups: 2 })).toThrow(/filters \(3\) must be divisible by groups \(2\)/);
    expect(() => new Conv1D({ filters: 2, kernelSize: 0 })).toThrow(/Conv1D: kernelSize: expected a positive integer, got 0/);
    expect(() => new Conv1D({ filters: 2, kernelSize: [2, 2] as never })).toThrow(/Conv1D: kernelSize: expected a positive integer or a list of one, got \[2,2\]/);
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow(/padding: expected "valid", "same" or "causal", got "full"/);
    expect(() => new Conv1D({ filters: 2, kernelSize: 5 }).apply(input({ shape: [3, 2] }))).toThrow(/has 3 steps, fewer than the 5 one window covers/);
    expect(() => new Conv1D({ filters: 2, kernelSize: 2, groups: 2 }).apply(input({ shape: [3, 3] }))).toThrow(/the 3 input channels must be divisible by groups \(2\)/);
    const layer = built({ filters: 2, kernelSize: 2 }, 3);
    expect(() => layer.apply(tf.ones([1, 4, 2]))).toThrow(/was built for 3 input channels, got an input of shape \[1, 4, 2\]/);
  });

  test('a mask does not pass through (Keras 3 drops it)', () => {
    const layer = built({ filters: 2, kernelSize: 1 }, 2);
    expect(layer.computeMask(tf.ones([1, 3, 2]), tf.ones([1, 3]).cast('bool'))).toBeNull();
  });
});
