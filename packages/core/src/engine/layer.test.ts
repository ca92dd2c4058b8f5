import * as tf from '@tensorflow/tfjs';
import { Initializer } from '../initializers/initializer';
import { Dense } from '../layers/core/dense';
import { Layer, type CallKwargs } from './layer';
import { input, InputLayer } from './input_layer';
import { resetNameCounters } from './names';
import { splitInitialState, splitInitialStateShapes } from './initial_state';
import type { Shape, Tensor } from './types';

/** Counts how often it is asked for a value. */
class CountingInitializer extends Initializer {
  static override className = 'Counting';
  calls = 0;
  apply(shape: number[]): tf.Tensor {
    this.calls++;
    return tf.ones(shape);
  }
}

/** Takes [x, ...states] in graphs, returns x + sum(states), to exercise the initial-state convention. */
class AddStates extends Layer {
  static override className = 'AddStates';
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const { input: x, initialState } = splitInitialState(inputs as Tensor | Tensor[], kwargs.initialState ?? null);
    return (initialState ?? []).reduce((acc, s) => acc.add(s), x);
  }
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    return splitInitialStateShapes(shape).input;
  }
}

describe('Layer', () => {
  beforeEach(() => resetNameCounters());

  test('argument errors name the layer, the argument, and the value', () => {
    expect(() => new Dense({ units: -3 })).toThrow('Dense: units: expected a positive integer, got -3');
    expect(() => new Dense({ units: 2.5 })).toThrow('Dense: units: expected a positive integer, got 2.5');
    expect(() => new Dense({} as never)).toThrow('Dense: units: required: expected a positive integer');
    expect(() => new Dense({ unit: 3 } as never)).toThrow(/Dense: .*unknown argument "unit" \(did you mean "units"\?\)/);
    expect(() => new Dense({ units: 3, activation: 'relux' })).toThrow(/Dense: activation: Unknown activation "relux"/);
    expect(() => new Dense({ units: 3, kernelInitializer: 'glorot' })).toThrow(/Dense: kernelInitializer: Unknown initializer "glorot"/);
    expect(() => new Dense({ units: 3, inputShape: [0] })).toThrow(/Dense: inputShape.0: expected a positive integer, got 0/);
    expect(() => new Dense(null as never)).toThrow(/Dense: expected an object of arguments/);
  });

  test('unique Keras names per class; weight names are <layer>/<weight>', () => {
    const a = new Dense({ units: 2 });
    const b = new Dense({ units: 2 });
    expect([a.name, b.name]).toEqual(['dense', 'dense_1']);
    b.apply(tf.ones([1, 3]));
    expect(b.weights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
    expect(new Dense({ units: 1, name: 'out' }).name).toBe('out');
  });

  test('weights are created lazily and setWeights skips the initializer', () => {
    const init = new CountingInitializer();
    const layer = new Dense({ units: 4, kernelInitializer: init });
    layer.maybeBuild([null, 3]);
    expect(layer.weights.map((w) => w.initialized)).toEqual([false, false]);
    layer.setWeights([tf.fill([3, 4], 0.5), tf.zeros([4])]);
    expect(init.calls).toBe(0);
    const y = layer.apply(tf.ones([1, 3])) as Tensor;
    expect(Array.from(y.dataSync())).toEqual([1.5, 1.5, 1.5, 1.5]);
    const fresh = new Dense({ units: 2, kernelInitializer: init });
    fresh.apply(tf.ones([1, 3]));
    expect(init.calls).toBe(1);
  });

  test('a large orthogonal kernel is never computed when weights are loaded', () => {
    const layer = new Dense({ units: 1500, kernelInitializer: 'orthogonal' });
    layer.maybeBuild([null, 1500]);
    const start = Date.now();
    layer.setWeights([tf.zeros([1500, 1500]), tf.zeros([1500])]);
    expect(layer.weights[0].initialized).toBe(true);
    // Loading is a copy; the QR of a 1500 x 1500 matrix alone would take seconds.
    expect(Date.now() - start).toBeLessThan(1500);
  });

  test('setWeights checks count and shapes before writing anything', () => {
    const layer = new Dense({ units: 2 });
    expect(() => layer.setWeights([])).toThrow(/is not built yet/);
    layer.apply(tf.ones([1, 3]));
    const before = layer.getWeights();
    expect(() => layer.setWeights([tf.zeros([3, 2])])).toThrow(
      "Dense 'dense': setWeights expected 2 tensors (dense/kernel [3, 2], dense/bias [2]), got 1.");
    expect(() => layer.setWeights([tf.zeros([3, 2]), tf.zeros([3])])).toThrow(
      "Dense 'dense': setWeights: dense/bias expects shape [2], got [3].");
    expect(() => layer.setWeights([[1] as never, tf.zeros([2])])).toThrow(/value 0 \(for dense\/kernel\) is not a tf.Tensor/);
    const after = layer.getWeights();
    expect(after[0].arraySync()).toEqual(before[0].arraySync());
  });

  test('getWeights returns copies owned by the caller', () => {
    const layer = new Dense({ units: 2 });
    layer.apply(tf.ones([1, 3]));
    const ws = layer.getWeights();
    ws.forEach((w) => w.dispose());
    expect(layer.getWeights()[0].shape).toEqual([3, 2]);
  });

  test('trainable flag moves weights between lists; countParams', () => {
    const layer = new Dense({ units: 5 });
    expect(() => layer.countParams()).toThrow(/is not built/);
    layer.apply(tf.ones([2, 4]));
    expect(layer.countParams()).toBe(25);
    expect(layer.trainableWeights.length).toBe(2);
    layer.trainable = false;
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    expect(layer.getConfig().trainable).toBe(false);
  });

  test('weight regularizers add losses; activity regularizers add the penalty of the last call', () => {
    const layer = new Dense({ units: 2, kernelRegularizer: { className: 'L2', config: { l2: 0.5 } }, activityRegularizer: 'l1' });
    layer.build([null, 2]);
    layer.built = true;
    layer.setWeights([tf.tensor2d([[1, 2], [3, 4]]), tf.zeros([2])]);
    expect(layer.losses.map((l) => l.dataSync()[0])).toEqual([15]);
    layer.apply(tf.ones([1, 2]), { training: true });
    const losses = layer.losses.map((l) => l.dataSync()[0]);
    expect(losses[0]).toBe(15);
    expect(losses[1]).toBeCloseTo(0.01 * (4 + 6), 5);
    // In inference too (Keras 3); a new call replaces the penalty of the previous one.
    layer.apply(tf.ones([1, 2]).mul(2), { training: false });
    expect(layer.losses.map((l) => l.dataSync()[0])).toEqual([15, expect.closeTo(0.01 * (8 + 12), 5)]);
    // The caller owns what losses returns: disposing it does not lose the penalty.
    tf.dispose(layer.losses);
    expect(layer.losses.length).toBe(2);
  });

  test('eager apply works inside tf.grad and does not leak', () => {
    const layer = new Dense({ units: 3 });
    layer.apply(tf.ones([1, 2]));
    const x = tf.ones([1, 2]);
    const before = tf.memory().numTensors;
    const g = tf.grad((v: tf.Tensor) => (layer.apply(v) as Tensor).sum())(x);
    const expected = tf.tidy(() => layer.weights[0].read().sum(1).reshape([1, 2]));
    expect(Array.from(g.dataSync())).toEqual(Array.from(expected.dataSync()).map((v) => expect.closeTo(v, 5)));
    tf.dispose([g, expected]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('symbolic apply records a node, infers shape, builds the layer', () => {
    const x = input({ shape: [7, 3] });
    const dense = new Dense({ units: 4 });
    const y = dense.apply(x);
    expect(Array.isArray(y)).toBe(false);
    expect((y as { shape: Shape }).shape).toEqual([null, 7, 4]);
    expect(dense.built).toBe(true);
    expect(dense.inboundNodes.length).toBe(1);
    expect(dense.inboundNodes[0].inboundLayers[0]).toBe(x.sourceLayer);
    expect(x.sourceLayer.outboundNodes[0]).toBe(dense.inboundNodes[0]);
    expect(dense.output).toBe(y);
    expect(dense.input).toBe(x);
  });

  test('symbolic initialState becomes extra node inputs [x, ...states]', () => {
    const x = input({ shape: [4] });
    const s = input({ shape: [4] });
    const layer = new AddStates();
    const y = layer.apply(x, { initialState: [s] });
    expect(layer.inboundNodes[0].inputTensors).toEqual([x, s]);
    expect((y as { shape: Shape }).shape).toEqual([null, 4]);
    // eager: both spellings work
    const a = tf.ones([1, 4]);
    expect(Array.from((layer.apply(a, { initialState: [a] }) as Tensor).dataSync())).toEqual([2, 2, 2, 2]);
    expect(Array.from((layer.apply([a, a, a]) as Tensor).dataSync())).toEqual([3, 3, 3, 3]);
  });

  test('graph-building errors are explicit', () => {
    const x = input({ shape: [3] });
    const dense = new Dense({ units: 2 });
    expect(() => dense.apply([x, tf.ones([1, 3])] as never)).toThrow(/mix symbolic tensors/);
    expect(() => dense.apply(x, { mask: x as never })).toThrow(/passing a mask explicitly while building a graph is not supported/);
    const fixed = new Dense({ units: 2, inputShape: [5] });
    expect(() => fixed.apply(x)).toThrow(/expected input shape \(None, 5\).*got \(None, 3\)/);
    expect(() => dense.apply([] as Tensor[])).toThrow(/empty list/);
    dense.apply(x);
    dense.apply(x);
    expect(() => dense.output).toThrow(/called 2 times.*getOutputAt/);
  });

  test('input layers', () => {
    const x = input({ shape: [null, 8], name: 'tokens', dtype: 'int32' });
    expect(x.shape).toEqual([null, null, 8]);
    expect(x.dtype).toBe('int32');
    expect(x.sourceLayer).toBeInstanceOf(InputLayer);
    expect(x.sourceLayer.getConfig()).toEqual({ batchShape: [null, null, 8], dtype: 'int32', sparse: false, name: 'tokens' });
    expect(input({ batchShape: [4, 2] }).shape).toEqual([4, 2]);
    expect(input({ shape: [2], batchSize: 3 }).shape).toEqual([3, 2]);
    expect(() => input({})).toThrow(/give the input shape/);
    expect(() => input({ shape: [2], batchShape: [null, 2] })).toThrow(/only one of shape and batchShape/);
    expect(() => input({ shape: [2], sparse: true })).toThrow(/sparse inputs are not supported/);
    expect(() => (x.sourceLayer as InputLayer).apply()).toThrow(/cannot be called on tensors/);
    const copy = InputLayer.fromConfig(x.sourceLayer.getConfig());
    expect(copy.getConfig()).toEqual(x.sourceLayer.getConfig());
    expect(new InputLayer({ batchInputShape: [null, 3], ragged: false }).outputTensor.shape).toEqual([null, 3]);
  });

  test('dispose frees the variables', () => {
    const layer = new Dense({ units: 2 });
    layer.apply(tf.ones([1, 2]));
    const before = tf.memory().numTensors;
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    expect(() => layer.getWeights()).toThrow(/was disposed/);
  });
});
