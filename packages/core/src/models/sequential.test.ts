import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { resetNameCounters } from '../engine/names';
import { setSeed } from '../engine/random';
import type { Tensor } from '../engine/types';
import { Dense } from '../layers/core/dense';
import { Embedding } from '../layers/core/embedding';
import { RepeatVector } from '../layers/core/repeat_vector';
import { GlobalAveragePooling1D } from '../layers/pooling/global_average_pooling1d';
import { TimeDistributed } from '../layers/wrappers/time_distributed';
import { Model, model } from './model';
import { Sequential, sequential, type SequentialConfig } from './sequential';

describe('Sequential', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('input shape from the first layer; layers exclude the input layer', () => {
    const s = sequential({ layers: [new Dense({ units: 8, inputShape: [4], activation: 'relu' }), new Dense({ units: 2 })] });
    expect(s.name).toBe('sequential');
    expect(s.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
    expect(s.inputs[0].shape).toEqual([null, 4]);
    expect(s.outputs[0].shape).toEqual([null, 2]);
    expect(s.countParams()).toBe(40 + 18);
    expect((s.predict(tf.ones([3, 4])) as Tensor).shape).toEqual([3, 2]);
  });

  test('input shape from an input() added first', () => {
    const s = new Sequential();
    s.add(input({ shape: [6] }));
    s.add(new Dense({ units: 3 }));
    expect(s.outputs[0].shape).toEqual([null, 3]);
    expect(() => s.add(input({ shape: [3] }))).toThrow(/an input\(\) can only be added first/);
  });

  test('deferred build: the first data fixes the input shape', () => {
    const s = new Sequential({ layers: [new Dense({ units: 2 })] });
    expect(s.hasGraph).toBe(false);
    const lines: string[] = [];
    s.summary(undefined, (l) => lines.push(l));
    expect(lines[1]).toMatch(/not built/);
    expect((s.predict(tf.ones([5, 7])) as Tensor).shape).toEqual([5, 2]);
    expect(s.inputs[0].shape).toEqual([null, 7]);
    expect(s.countParams()).toBe(16);
  });

  test('pop removes the last layer and restores the previous output', () => {
    const s = sequential({ layers: [new Dense({ units: 4, inputShape: [2] }), new Dense({ units: 3 }), new Dense({ units: 1 })] });
    expect(s.pop().name).toBe('dense_2');
    expect(s.outputs[0].shape).toEqual([null, 3]);
    expect((s.predict(tf.ones([1, 2])) as Tensor).shape).toEqual([1, 3]);
    s.pop();
    s.pop();
    expect(s.hasGraph).toBe(false);
    expect(() => s.pop()).toThrow(/has no layers to pop/);
  });

  test('predict follows the graph as layers are added and popped after a prediction', () => {
    const s = sequential({ layers: [new Dense({ units: 4, inputShape: [2] })] });
    const x = tf.ones([1, 2]);
    const shapes = (): number[] => {
      const y = s.predict(x) as Tensor;
      const shape = y.shape;
      y.dispose();
      return shape;
    };
    expect(shapes()).toEqual([1, 4]);
    s.add(new Dense({ units: 3 }));
    expect(shapes()).toEqual([1, 3]);
    s.pop();
    expect(shapes()).toEqual([1, 4]);
    x.dispose();
  });

  test('errors: bad layer, duplicate name, shape mismatch leaves the model unchanged', () => {
    const s = sequential({ layers: [new Dense({ units: 4, inputShape: [2], name: 'a' })] });
    expect(() => s.add(42 as never)).toThrow(/add\(\) expects a layer, got number/);
    expect(() => s.add(new Dense({ units: 1, name: 'a' }))).toThrow(/already has a layer named 'a'/);
    expect(() => s.add(new RepeatVector({ n: 2 }))).not.toThrow();
    expect(() => s.add(new RepeatVector({ n: 2 }))).toThrow(/expects \[batch, features\]/);
    expect(s.layers.length).toBe(2);
  });

  test('one-to-many and many-to-many topologies', () => {
    const s = sequential({ layers: [
      new Dense({ units: 5, inputShape: [3] }), new RepeatVector({ n: 4 }), new TimeDistributed({ layer: new Dense({ units: 2 }) }),
    ] });
    expect(s.outputs[0].shape).toEqual([null, 4, 2]);
    expect((s.predict(tf.ones([2, 3])) as Tensor).shape).toEqual([2, 4, 2]);
  });

  test('masking through a Sequential: padded and unpadded sequences agree', () => {
    setSeed(3);
    const s = sequential({ layers: [new Embedding({ inputDim: 30, outputDim: 5, maskZero: true }), new GlobalAveragePooling1D(), new Dense({ units: 1 })] });
    const a = s.predict(tf.tensor2d([[4, 8, 15]])) as Tensor;
    const b = s.predict(tf.tensor2d([[4, 8, 15, 0, 0, 0]])) as Tensor;
    expect(Math.abs(a.dataSync()[0] - b.dataSync()[0])).toBeLessThan(1e-6);
  });

  test('config round trip (with and without an explicit input), weights carried over', () => {
    const s = sequential({ layers: [new Dense({ units: 3, inputShape: [2], activation: 'relu' }), new Dense({ units: 1 })] });
    const config = s.getConfig();
    expect(config.layers.map((l) => l.className)).toEqual(['Dense', 'Dense']);
    expect(config.layers[0].config.batchInputShape).toEqual([null, 2]);
    const copy = Sequential.fromConfig(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
    copy.setWeights(s.getWeights());
    const x = tf.randomNormal([4, 2], 0, 1, 'float32', 8);
    expect((copy.predict(x) as Tensor).sub(s.predict(x) as Tensor).abs().max().dataSync()[0]).toBe(0);

    const withInput = new Sequential({ name: 'explicit' });
    withInput.add(input({ shape: [3], name: 'in' }));
    withInput.add(new Dense({ units: 2, name: 'out' }));
    const c2 = withInput.getConfig() as SequentialConfig;
    expect(c2.layers[0]).toEqual({ className: 'InputLayer', config: { batchShape: [null, 3], dtype: 'float32', sparse: false, name: 'in' } });
    expect(Sequential.fromConfig(c2).getConfig()).toEqual(c2);
  });

  test('a Sequential model inside a functional model, and a functional model inside a Sequential', () => {
    const inner = sequential({ layers: [new Dense({ units: 2, inputShape: [3] })], name: 'inner_seq' });
    const x = input({ shape: [3] });
    const outer = model({ inputs: x, outputs: inner.apply(x) as never });
    expect(outer.countParams()).toBe(8);
    const config = outer.getConfig();
    expect(Model.fromConfig(JSON.parse(JSON.stringify(config))).getConfig()).toEqual(config);

    const y = input({ shape: [4] });
    const fn = model({ inputs: y, outputs: new Dense({ units: 3 }).apply(y) as never, name: 'fn' });
    const s = sequential({ layers: [fn, new Dense({ units: 1 })] });
    expect(s.inputs[0].shape).toEqual([null, 4]);
    expect((s.predict(tf.ones([2, 4])) as Tensor).shape).toEqual([2, 1]);
    const sc = s.getConfig();
    expect(Sequential.fromConfig(JSON.parse(JSON.stringify(sc))).countParams()).toBe(s.countParams());
  });

  test('freezing the model freezes its layers', () => {
    const s = sequential({ layers: [new Dense({ units: 2, inputShape: [2] })] });
    s.trainable = false;
    expect(s.layers[0].trainable).toBe(false);
    expect(s.trainableWeights).toEqual([]);
    expect(s.nonTrainableWeights.length).toBe(2);
  });
});
