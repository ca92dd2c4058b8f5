import * as tf from '@tensorflow/tfjs';
import { input } from '../engine/input_layer';
import { Layer, type CallKwargs } from '../engine/layer';
import { resetNameCounters } from '../engine/names';
import { setSeed } from '../engine/random';
import { registerLayer } from '../engine/registry';
import { splitInitialState, splitInitialStateShapes } from '../engine/initial_state';
import type { SymbolicTensor } from '../engine/symbolic';
import type { Shape, Tensor } from '../engine/types';
import { Dense } from '../layers/core/dense';
import { Dropout } from '../layers/core/dropout';
import { Embedding } from '../layers/core/embedding';
import { Concatenate } from '../layers/merging/concatenate';
import { GlobalAveragePooling1D } from '../layers/pooling/global_average_pooling1d';
import { TimeDistributed } from '../layers/wrappers/time_distributed';
import { Model, model } from './model';
import type { ModelConfig } from './model_config';

const sym = (t: unknown) => t as SymbolicTensor;
const maxDiff = (a: Tensor, b: Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

/** A stateful stand-in: adds a running total of its inputs (to test resetStates without recurrent layers). */
class Accumulate extends Layer {
  static override className = 'Accumulate';
  total: Tensor | null = null;
  constructor(args: { name?: string } = {}) {
    super(args);
    this.stateful = true;
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const x = inputs as Tensor;
    const next = this.total ? this.total.add(x) : x.clone();
    this.total?.dispose();
    this.total = tf.keep(next.clone());
    return next;
  }
  override resetStates(): void {
    this.total?.dispose();
    this.total = null;
  }
}

/** x + sum(states), taking states as [x, ...states] in graphs (the initial-state convention). */
class AddStates extends Layer {
  static override className = 'AddStatesForModelTest';
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const { input: x, initialState } = splitInitialState(inputs as Tensor | Tensor[], kwargs.initialState ?? null);
    return (initialState ?? []).reduce((acc, s) => acc.add(s), x);
  }
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    return splitInitialStateShapes(shape).input;
  }
}
registerLayer(AddStates as never);

function twoTower(): { m: Model; shared: Dense } {
  const a = input({ shape: [4], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const shared = new Dense({ units: 3, activation: 'tanh', name: 'shared' });
  const joined = new Concatenate({ name: 'join' }).apply([sym(shared.apply(a)), sym(shared.apply(b))]);
  const score = new Dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(sym(joined));
  const code = new Dense({ units: 2, name: 'code' }).apply(sym(joined));
  return { m: model({ inputs: [a, b], outputs: [sym(score), sym(code)], name: 'towers' }), shared };
}

describe('Model (functional)', () => {
  beforeEach(() => resetNameCounters());
  afterEach(() => setSeed(null));

  test('several inputs and outputs, shared layer counted once', () => {
    const { m, shared } = twoTower();
    expect(m.inputNames).toEqual(['a', 'b']);
    expect(m.outputNames).toEqual(['score', 'code']);
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'b', 'shared', 'join', 'score', 'code']);
    expect(shared.inboundNodes.length).toBe(2);
    expect(m.countParams()).toBe(15 + 7 + 14);
    expect(m.weights.map((w) => w.name)).toEqual(['shared/kernel', 'shared/bias', 'score/kernel', 'score/bias', 'code/kernel', 'code/bias']);
    const [score, code] = m.predict([tf.ones([5, 4]), tf.zeros([5, 4])]) as Tensor[];
    expect(score.shape).toEqual([5, 1]);
    expect(code.shape).toEqual([5, 2]);
    expect(m.getLayer('join')).toBeInstanceOf(Concatenate);
    expect(m.getLayer({ index: 2 })).toBe(shared);
    expect(() => m.getLayer('nope')).toThrow(/no layer named 'nope'; layers: a, b, shared/);
  });

  test('the shared layer gives identical features for identical inputs', () => {
    const { m } = twoTower();
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 3);
    const joined = model({ inputs: m.inputs, outputs: sym(m.getLayer('join').output) });
    const out = joined.predict([x, x]) as Tensor;
    expect(maxDiff(out.slice([0, 0], [2, 3]), out.slice([0, 3], [2, 3]))).toBe(0);
  });

  test('input checks give clear errors', () => {
    const { m } = twoTower();
    expect(() => m.predict(tf.ones([2, 4]))).toThrow("Functional 'towers': expects 2 input tensor(s) (a, b), got 1.");
    expect(() => m.predict([tf.ones([2, 4]), tf.ones([2, 5])])).toThrow("Functional 'towers': input 1 ('b') expects shape (None, 4), got [2, 5].");
    expect(() => m.predict([tf.ones([2, 4]), tf.ones([3, 4])])).toThrow(/same number of samples, got 2, 3/);
    expect(() => m.predict([tf.ones([2, 4]), tf.ones([2, 4])], { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });

  test('graph errors: disconnected, duplicate names, non-symbolic', () => {
    const a = input({ shape: [2] });
    const b = input({ shape: [2] });
    const y = new Concatenate().apply([a, b]);
    expect(() => model({ inputs: a, outputs: sym(y) })).toThrow(/graph disconnected: the input 'input_layer_1'.*add it to inputs/);
    const x = input({ shape: [2] });
    const h = new Dense({ units: 2, name: 'same' }).apply(x);
    const z = new Dense({ units: 2, name: 'same' }).apply(sym(h));
    expect(() => model({ inputs: x, outputs: sym(z) })).toThrow(/two different layers are named 'same'/);
    expect(() => model({ inputs: x, outputs: tf.ones([1]) as never })).toThrow(/must be symbolic tensors/);
    expect(() => new Model({} as never)).toThrow(/give both inputs and outputs/);
  });

  test('a model used as a layer', () => {
    const inner = (() => {
      const x = input({ shape: [3] });
      return model({ inputs: x, outputs: sym(new Dense({ units: 2, activation: 'relu' }).apply(x)), name: 'inner' });
    })();
    const x = input({ shape: [3] });
    const h = inner.apply(x);
    expect(sym(h).shape).toEqual([null, 2]);
    const outer = model({ inputs: x, outputs: sym(new Dense({ units: 1 }).apply(sym(h))), name: 'outer' });
    expect(outer.countParams()).toBe(8 + 3);
    expect(outer.weights.length).toBe(4);
    const data = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const viaOuter = outer.predict(data) as Tensor;
    const direct = (outer.layers[2] as Dense).apply(inner.predict(data) as Tensor) as Tensor;
    expect(maxDiff(viaOuter, direct)).toBeLessThan(1e-6);
    const lines: string[] = [];
    outer.summary(undefined, (l) => lines.push(l));
    expect(lines.some((l) => /^ inner \(Functional\)\s+\(None, 2\)\s+8$/.test(l))).toBe(true);
    inner.trainable = false;
    expect(outer.trainableWeights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
  });

  test('masks propagate: Embedding(maskZero) -> GlobalAveragePooling1D ignores padding', () => {
    setSeed(5);
    const tokens = input({ shape: [null] });
    const emb = new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }).apply(tokens);
    const pooled = new GlobalAveragePooling1D().apply(sym(emb));
    const m = model({ inputs: tokens, outputs: sym(pooled) });
    const unpadded = m.predict(tf.tensor2d([[3, 7, 9]])) as Tensor;
    const padded = m.predict(tf.tensor2d([[3, 7, 9, 0, 0]])) as Tensor;
    expect(maxDiff(unpadded, padded)).toBeLessThan(1e-6);
    const { masks } = m.callWithMasks([tf.tensor2d([[3, 0]])], { training: false });
    expect(masks).toEqual([null]);
    const upToEmbedding = model({ inputs: tokens, outputs: sym(emb) });
    const r = upToEmbedding.callWithMasks([tf.tensor2d([[3, 0]])], { training: false });
    expect(r.masks[0]!.arraySync()).toEqual([[1, 0]]);
  });

  test('callWithMasks and predict keep the tensor count flat', () => {
    const { m } = twoTower();
    const xs = [tf.ones([70, 4]), tf.ones([70, 4])];
    (m.predict(xs) as Tensor[]).forEach((t) => t.dispose()); // materialise the weights first
    const before = tf.memory().numTensors;
    for (const batchSize of [8, 32, 100]) {
      const outs = m.predict(xs, { batchSize }) as Tensor[];
      expect(outs[0].shape).toEqual([70, 1]);
      tf.dispose(outs);
    }
    const r = m.callWithMasks(xs, { training: true });
    tf.dispose(r.outputs);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('no leaks with masks, a nested model and TimeDistributed', () => {
    const tokens = input({ shape: [null] });
    const emb = sym(new Embedding({ inputDim: 10, outputDim: 4, maskZero: true }).apply(tokens));
    const inner = (() => {
      const x = input({ shape: [null, 4] });
      return model({ inputs: x, outputs: sym(new TimeDistributed({ layer: new Dense({ units: 3 }) }).apply(x)) });
    })();
    const pooled = new GlobalAveragePooling1D().apply(sym(inner.apply(emb)));
    const m = model({ inputs: tokens, outputs: sym(pooled) });
    const x = tf.tensor2d([[1, 2, 0], [3, 0, 0]]);
    tf.dispose(m.predict(x));
    const before = tf.memory().numTensors;
    tf.dispose(m.predict(x, { batchSize: 1 }));
    const r = m.callWithMasks([x], { training: false });
    tf.dispose([...r.outputs, ...r.masks.filter((k): k is Tensor => k !== null)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('predict in batches equals one big batch', () => {
    setSeed(1);
    const { m } = twoTower();
    const xs = [tf.randomNormal([37, 4], 0, 1, 'float32', 1), tf.randomNormal([37, 4], 0, 1, 'float32', 2)];
    const whole = m.predict(xs, { batchSize: 64 }) as Tensor[];
    const parts = m.predict(xs, { batchSize: 5 }) as Tensor[];
    expect(maxDiff(whole[0], parts[0])).toBeLessThan(1e-6);
    expect(maxDiff(whole[1], parts[1])).toBeLessThan(1e-6);
  });

  test('training flag reaches the layers (dropout only in training)', () => {
    const x = input({ shape: [50] });
    const m = model({ inputs: x, outputs: sym(new Dropout({ rate: 0.5, seed: 1 }).apply(x)) });
    const ones = tf.ones([2, 50]);
    expect(m.callWithMasks([ones], { training: false }).outputs[0].sum().dataSync()[0]).toBe(100);
    const trained = m.callWithMasks([ones], { training: true }).outputs[0].dataSync();
    expect(Array.from(trained).some((v) => v === 0)).toBe(true);
  });

  test('getWeights / setWeights in Keras order; errors', () => {
    const { m } = twoTower();
    const ws = m.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[4, 3], [3], [6, 1], [1], [6, 2], [2]]);
    const zeros = ws.map((w) => tf.zerosLike(w));
    m.setWeights(zeros);
    const [score] = m.predict([tf.ones([1, 4]), tf.ones([1, 4])]) as Tensor[];
    expect(score.dataSync()[0]).toBe(0.5);
    expect(() => m.setWeights(zeros.slice(1))).toThrow(/setWeights expected 6 tensors \(shared\/kernel \[4, 3\]/);
    expect(() => m.setWeights([...zeros.slice(0, 5), tf.zeros([3])])).toThrow(/code\/bias expects shape \[2\], got \[3\]/);
  });

  test('getConfig / fromConfig round trip keeps sharing, nesting and weights', () => {
    const { m } = twoTower();
    const config = m.getConfig() as ModelConfig;
    expect(config.inputLayers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    expect(config.outputLayers).toEqual([['score', 0, 0], ['code', 0, 0]]);
    const sharedEntry = config.layers.find((l) => l.name === 'shared')!;
    expect(sharedEntry.inboundNodes).toEqual([[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
    expect(config.layers.find((l) => l.name === 'join')!.inboundNodes).toEqual([[['shared', 0, 0, {}], ['shared', 1, 0, {}]]]);
    const json = JSON.parse(JSON.stringify(config));
    const copy = Model.fromConfig(json);
    expect(copy.getConfig()).toEqual(config);
    copy.setWeights(m.getWeights());
    const xs = [tf.randomNormal([3, 4], 0, 1, 'float32', 1), tf.randomNormal([3, 4], 0, 1, 'float32', 2)];
    const a = m.predict(xs) as Tensor[];
    const b = copy.predict(xs) as Tensor[];
    expect(maxDiff(a[0], b[0])).toBe(0);
    expect(maxDiff(a[1], b[1])).toBe(0);

    const x = input({ shape: [4], name: 'outer_in' });
    const nested = model({ inputs: x, outputs: sym(new Dense({ units: 1, name: 'head' }).apply((m.apply([x, x]) as SymbolicTensor[])[0])) });
    const nestedConfig = nested.getConfig() as ModelConfig;
    expect(nestedConfig.layers.map((l) => l.className)).toEqual(['InputLayer', 'Functional', 'Dense']);
    expect(nestedConfig.layers[1].inboundNodes).toEqual([[['outer_in', 0, 0, {}], ['outer_in', 0, 0, {}]]]);
    const nestedCopy = Model.fromConfig(JSON.parse(JSON.stringify(nestedConfig)));
    expect(nestedCopy.getConfig()).toEqual(nestedConfig);
    expect(nestedCopy.countParams()).toBe(nested.countParams());
  });

  test('initial states given in a graph survive the config round trip', () => {
    const x = input({ shape: [3], name: 'x' });
    const s = input({ shape: [3], name: 's' });
    const y = new AddStates({ name: 'add_states' }).apply(x, { initialState: [s] });
    const m = model({ inputs: [x, s], outputs: sym(y) });
    const config = m.getConfig() as ModelConfig;
    expect(config.layers.find((l) => l.name === 'add_states')!.inboundNodes).toEqual([[['x', 0, 0, {}], ['s', 0, 0, {}]]]);
    const copy = Model.fromConfig(config);
    const out = copy.predict([tf.ones([1, 3]), tf.fill([1, 3], 2)]) as Tensor;
    expect(Array.from(out.dataSync())).toEqual([3, 3, 3]);
  });

  test('fromConfig errors are explicit', () => {
    expect(() => Model.fromConfig({ name: 'm' })).toThrow(/expected \{ name, layers/);
    const bad = { name: 'm', layers: [{ className: 'Nope', name: 'n', config: {}, inboundNodes: [] }], inputLayers: [], outputLayers: [] };
    expect(() => Model.fromConfig(bad)).toThrow(/Unknown layer class "Nope"/);
    const dangling = {
      name: 'm', inputLayers: [['i', 0, 0]], outputLayers: [['d', 0, 0]],
      layers: [
        { className: 'InputLayer', name: 'i', config: { batchShape: [null, 2] }, inboundNodes: [] },
        { className: 'Dense', name: 'd', config: { units: 1 }, inboundNodes: [[['i', 3, 0, {}]]] },
      ],
    };
    expect(() => Model.fromConfig(dangling)).toThrow(/cannot connect layers d/);
  });

  test('resetStates reaches stateful layers; the model reports itself stateful', () => {
    const x = input({ batchShape: [1, 2] });
    const acc = new Accumulate();
    const m = model({ inputs: x, outputs: sym(acc.apply(x)) });
    expect(m.stateful).toBe(true);
    m.predict(tf.ones([1, 2]));
    const second = m.predict(tf.ones([1, 2])) as Tensor;
    expect(Array.from(second.dataSync())).toEqual([2, 2]);
    m.resetStates();
    expect(Array.from((m.predict(tf.ones([1, 2])) as Tensor).dataSync())).toEqual([1, 1]);
    acc.resetStates();
  });

  test('seeded construction is reproducible', () => {
    const build = () => {
      resetNameCounters();
      setSeed(99);
      return twoTower().m.getWeights().map((w) => Array.from(w.dataSync()));
    };
    expect(build()).toEqual(build());
  });

  test('dispose frees every weight', () => {
    const { m } = twoTower();
    m.getWeights().forEach((w) => w.dispose());
    const before = tf.memory().numTensors;
    m.dispose();
    expect(tf.memory().numTensors).toBe(before - 6);
  });
});
