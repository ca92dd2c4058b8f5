import * as tf from '@tensorflow/tfjs';
import { setImplementation } from '@recurrent/kernels';
import { Bidirectional } from '../layers/wrappers/bidirectional';
import { Dense } from '../layers/core/dense';
import { Dropout } from '../layers/core/dropout';
import { Embedding } from '../layers/core/embedding';
import { GRU } from '../layers/rnn/gru';
import { LSTM } from '../layers/rnn/lstm';
import { SimpleRNN } from '../layers/rnn/simple_rnn';
import { MaxPooling1D } from '../layers/pooling/max_pooling1d';
import { setSeed } from '../engine/random';
import { Sequential } from './sequential';
import type { Layer } from '../engine/layer';
import { SequenceStepper } from './sequence_stepper';

const T = 6;
const F = 5;

function randomSequence(seed: number): Float32Array {
  let a = seed;
  const out = new Float32Array(T * F);
  for (let i = 0; i < out.length; i++) {
    a = (a * 1103515245 + 12345) % 2147483648;
    out[i] = (a / 2147483648) * 2 - 1;
  }
  return out;
}

/** The whole-sequence predict of a model whose last recurrent layer returns sequences: [T, outputs]. */
function predictRows(model: Sequential, x: tf.Tensor): Float32Array[] {
  const y = model.predict(x) as tf.Tensor;
  const [, time, width] = y.shape as number[];
  const data = y.dataSync() as Float32Array;
  y.dispose();
  return Array.from({ length: time }, (_, t) => data.slice(t * width, (t + 1) * width));
}

function expectClose(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(tol);
}

describe.each(['native', 'typescript'] as const)('SequenceStepper (%s kernels)', (kernels) => {
  beforeAll(() => setImplementation(kernels));
  afterAll(() => setImplementation('native'));

  test.each([
    ['LSTM', () => new LSTM({ units: 7, returnSequences: true, inputShape: [T, F] })],
    ['GRU', () => new GRU({ units: 6, returnSequences: true, inputShape: [T, F] })],
    ['GRU resetAfter false', () => new GRU({ units: 6, resetAfter: false, returnSequences: true, inputShape: [T, F] })],
    ['SimpleRNN', () => new SimpleRNN({ units: 4, returnSequences: true, inputShape: [T, F] })],
  ])('%s + Dense: each step equals the whole sequence predict at that step', (_, make) => {
    setSeed(3);
    const model = new Sequential({ layers: [make(), new Dropout({ rate: 0.3 }), new Dense({ units: 3, activation: 'softmax' })] });
    const seq = randomSequence(11);
    const x = tf.tensor3d(seq, [1, T, F]);
    const expected = predictRows(model, x);
    x.dispose();
    const stepper = new SequenceStepper(model);
    expect(stepper.stepInputShape).toEqual([F]);
    const before = tf.memory().numTensors;
    for (let t = 0; t < T; t++) expectClose(stepper.step(seq.subarray(t * F, (t + 1) * F)), expected[t], 1e-5);
    expect(tf.memory().numTensors).toBe(before);
    // resetStates starts the sequence again.
    stepper.resetStates();
    expectClose(stepper.step(Array.from(seq.subarray(0, F))), expected[0], 1e-5);
    model.dispose();
  });

  test.each([
    ['the recurrent layer\'s state', false],
    ['a Dense layer\'s scores', true],
  ])('each step returns an array of the caller\'s own (last stage: %s): writing into it or keeping it changes no other step', (_, withDense) => {
    setSeed(4);
    const layers: Layer[] = [new LSTM({ units: 7, returnSequences: true, inputShape: [T, F] })];
    if (withDense) layers.push(new Dense({ units: 3, activation: 'softmax' }));
    const model = new Sequential({ layers });
    const seq = randomSequence(13);
    const x = tf.tensor3d(seq, [1, T, F]);
    const expected = predictRows(model, x);
    x.dispose();
    const stepper = new SequenceStepper(model);
    const kept: Float32Array[] = [];
    for (let t = 0; t < T; t++) {
      const out = stepper.step(seq.subarray(t * F, (t + 1) * F));
      kept.push(out.slice());
      expectClose(out, expected[t], 1e-5);
      out.fill(42); // a sampler rescaling the scores in place
    }
    // The arrays kept from the earlier steps were not overwritten by the later ones.
    const again = new SequenceStepper(model);
    for (let t = 0; t < T; t++) {
      const out = again.step(seq.subarray(t * F, (t + 1) * F));
      expect(Array.from(out)).toEqual(Array.from(kept[t]));
      kept[t] = out;
    }
    for (let t = 0; t < T; t++) expectClose(kept[t], expected[t], 1e-5);
    model.dispose();
  });

  test('stacked layers from token ids (Embedding, LSTM, GRU many-to-one, Dense) match a stateful predict per step', () => {
    setSeed(5);
    const layers = () => [
      new Embedding({ inputDim: 12, outputDim: 4 }),
      new LSTM({ units: 6, returnSequences: true }),
      new GRU({ units: 5 }),
      new Dense({ units: 12, activation: 'softmax' }),
    ];
    const model = new Sequential({ layers: layers() });
    model.build([null, T]);
    const stateful = new Sequential({ layers: layers().map((l, i) => (i === 1 ? new LSTM({ units: 6, returnSequences: true, stateful: true }) : i === 2 ? new GRU({ units: 5, stateful: true }) : l)) });
    stateful.build([1, 1]);
    stateful.setWeights(model.getWeights());
    const ids = [3, 7, 1, 11, 0, 4];
    const stepper = new SequenceStepper(model);
    expect(stepper.stepInputShape).toEqual([]);
    for (const id of ids) {
      const y = stateful.predict(tf.tensor2d([[id]], [1, 1], 'int32')) as tf.Tensor;
      expectClose(stepper.step([id]), y.dataSync() as Float32Array, 1e-5);
      y.dispose();
    }
    model.dispose();
    stateful.dispose();
  });
});

test('a recurrent last layer: each step returns an array of its own, which later steps leave as it was', () => {
  setSeed(8);
  const model = new Sequential({ layers: [new GRU({ units: 4, returnSequences: true, inputShape: [T, F] }), new LSTM({ units: 3, returnSequences: true })] });
  const seq = randomSequence(21);
  const x = tf.tensor3d(seq, [1, T, F]);
  const expected = predictRows(model, x);
  x.dispose();
  const stepper = new SequenceStepper(model);
  const outputs = Array.from({ length: T }, (_, t) => stepper.step(seq.subarray(t * F, (t + 1) * F)));
  outputs.forEach((y, t) => expectClose(y, expected[t], 1e-5));
  model.dispose();
});

describe('Dense after a recurrent layer on the native kernels: the bits of a stateful predict per step', () => {
  beforeAll(() => setImplementation('native'));

  /** Each step's output of the stepper and of a stateful copy of the model fed one step per predict. */
  function stepperAndStatefulPredict(makeLayers: (stateful: boolean) => Layer[]): [Float32Array[], Float32Array[], number] {
    setSeed(13);
    const model = new Sequential({ layers: makeLayers(false) });
    model.build([null, T, F]);
    const stateful = new Sequential({ layers: makeLayers(true) });
    stateful.build([1, 1, F]);
    stateful.setWeights(model.getWeights());
    const seq = randomSequence(31);
    const stepper = new SequenceStepper(model);
    // How often the stepper went through a Dense layer's apply instead of its arrays.
    const applies = model.layers.filter((l) => l instanceof Dense).map((l) => jest.spyOn(l, 'apply'));
    const ours: Float32Array[] = [];
    const theirs: Float32Array[] = [];
    const before = tf.memory().numTensors;
    for (let t = 0; t < T; t++) {
      ours.push(stepper.step(seq.subarray(t * F, (t + 1) * F)));
      const x = tf.tensor3d(seq.subarray(t * F, (t + 1) * F), [1, 1, F]);
      const y = stateful.predict(x) as tf.Tensor;
      theirs.push(y.dataSync() as Float32Array);
      tf.dispose([x, y]);
    }
    expect(tf.memory().numTensors).toBe(before);
    const layerApplies = applies.reduce((n, spy) => n + spy.mock.calls.length, 0);
    model.dispose();
    stateful.dispose();
    return [ours, theirs, layerApplies];
  }

  test.each([
    ['softmax', 'LSTM', true],
    ['softmax', 'GRU', false],
    ['linear', 'SimpleRNN', true],
    [undefined, 'LSTM', false],
  ] as const)('activation %s after %s (bias %s)', (activation, cell, useBias) => {
    const [ours, theirs, layerApplies] = stepperAndStatefulPredict((stateful) => {
      const rnnArgs = { units: 7, returnSequences: true, stateful };
      const rnn = cell === 'LSTM' ? new LSTM(rnnArgs) : cell === 'GRU' ? new GRU(rnnArgs) : new SimpleRNN(rnnArgs);
      return [rnn, new Dense({ units: 9, activation, useBias }), new Dense({ units: 4, activation: 'softmax' })];
    });
    expect(ours).toEqual(theirs);
    expect(layerApplies).toBe(0);
    // A softmax sums to 1 per step: the arrays are the probabilities, not the logits.
    for (const y of ours) expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  test('from token ids: Embedding rows copied, then LSTM and Dense; an id outside the table goes to the layer, which refuses it', () => {
    setSeed(17);
    const layers = (stateful: boolean) => [
      new Embedding({ inputDim: 10, outputDim: 4 }),
      new LSTM({ units: 6, returnSequences: true, stateful }),
      new Dense({ units: 10, activation: 'softmax' }),
    ];
    const model = new Sequential({ layers: layers(false) });
    model.build([null, T]);
    const stateful = new Sequential({ layers: layers(true) });
    stateful.build([1, 1]);
    stateful.setWeights(model.getWeights());
    const stepper = new SequenceStepper(model);
    const spies = model.layers.filter((l) => l instanceof Embedding || l instanceof Dense).map((l) => jest.spyOn(l, 'apply'));
    for (const id of [3, 9, 0, 1, 7]) {
      const x = tf.tensor2d([[id]], [1, 1], 'int32');
      const y = stateful.predict(x) as tf.Tensor;
      expect(stepper.step([id])).toEqual(y.dataSync());
      tf.dispose([x, y]);
    }
    expect(spies.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBe(0);
    expect(() => stepper.step([10])).toThrow(/index 10|out of range|\[0, 10\)/);
    model.dispose();
    stateful.dispose();
  });

  test('a custom activation named softmax is applied as the layer applies it', () => {
    const twice = { name: 'softmax', builtIn: true, apply: (x: tf.Tensor) => tf.mul(x, 2) };
    const [ours, theirs, layerApplies] = stepperAndStatefulPredict((stateful) => [
      new LSTM({ units: 5, returnSequences: true, stateful }),
      new Dense({ units: 3, activation: twice }),
    ]);
    expect(ours).toEqual(theirs);
    expect(layerApplies).toBe(T);
    expect(ours.some((y) => Math.abs(y.reduce((a, b) => a + b, 0) - 1) > 1e-3)).toBe(true);
  });
});

describe('SequenceStepper refuses what it cannot step', () => {
  test('layers that look across time, goBackwards, masks, unbuilt models and wrong inputs', () => {
    const build = (layers: ConstructorParameters<typeof Sequential>[0]) => new Sequential(layers);
    expect(() => new SequenceStepper(build({ layers: [new LSTM({ units: 2, goBackwards: true, inputShape: [T, F] })] }))).toThrow(/not supported by the stepper: goBackwards/);
    expect(() => new SequenceStepper(build({ layers: [new Bidirectional({ layer: new LSTM({ units: 2 }), inputShape: [T, F] })] }))).toThrow(/not supported by the stepper: only SimpleRNN, LSTM, GRU/);
    expect(() => new SequenceStepper(build({ layers: [new LSTM({ units: 2, returnSequences: true, inputShape: [T, F] }), new MaxPooling1D({ poolSize: 2 })] }))).toThrow(/MaxPooling1D.*not supported/);
    expect(() => new SequenceStepper(build({ layers: [new Embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputShape: [T] }), new LSTM({ units: 2 })] }))).toThrow(/maskZero/);
    expect(() => new SequenceStepper(build({ layers: [new LSTM({ units: 2 })] }))).toThrow(/needs a built model/);
    const stepper = new SequenceStepper(build({ layers: [new LSTM({ units: 2, inputShape: [T, F] })] }));
    expect(() => stepper.step([1, 2])).toThrow(/expected 5 value\(s\) of shape \[5\], got 2/);
    expect(() => stepper.step(null as unknown as number[])).toThrow(/expected 5 value\(s\)/);
  });
});

test('weights changed between steps are stepped with at once (setWeights, then a training step), as the TypeScript kernels step them', () => {
  // LSTM(160) over 64 features splits its units between two threads, whose weights the native step
  // packs once it sees them again; a stale copy would go on stepping with the old weights.
  setSeed(5);
  const features = 64;
  const model = new Sequential({ layers: [new LSTM({ units: 160, returnSequences: true, inputShape: [T, features] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const stepper = new SequenceStepper(model);
  const x = (t: number) => Float32Array.from({ length: features }, (_, i) => Math.sin(0.3 * i + t));
  // The TypeScript kernels, stepped alongside from the same states, are the reference.
  const reference = (t: number): Float32Array => {
    setImplementation('typescript');
    try {
      return referenceStepper.step(x(t));
    } finally {
      setImplementation('native');
    }
  };
  const referenceStepper = new SequenceStepper(model);
  const changes: (() => void)[] = [
    () => model.setWeights(model.getWeights().map((w) => tf.tidy(() => tf.neg(w)))),
    () => {
      const xs = tf.randomNormal([2, T, features]), ys = tf.randomNormal([2, T, 160]);
      model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
    },
  ];
  for (let t = 0; t < 9; t++) {
    if (t === 3 || t === 6) changes[t / 3 - 1]();
    expectClose(stepper.step(x(t)), reference(t), 1e-5);
  }
  model.dispose();
});
