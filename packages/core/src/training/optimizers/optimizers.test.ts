import * as tf from '@tensorflow/tfjs';
import { SGD } from './sgd';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { RMSprop } from './rmsprop';
import { Adagrad } from './adagrad';
import { Optimizer } from './optimizer';
import { getOptimizer } from './get_optimizer';
import { ExponentialDecay } from './schedules';

/** Runs the optimizer on w = [1, 2] with the given gradients (one update each) and returns w. */
function run(opt: Optimizer, gradients: number[][]): number[] {
  const w = tf.variable(tf.tensor1d([1, 2]));
  for (const g of gradients) {
    const grad = tf.tensor1d(g);
    opt.applyGradients([grad], [w], ['dense/kernel']);
    grad.dispose();
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

const g = [0.5, -1];

describe('SGD', () => {
  it('plain: w -= lr * g (default learning rate 0.01)', () => {
    expectClose(run(new SGD({ learningRate: 0.1 }), [g]), [0.95, 2.1]);
    expectClose(run(new SGD(), [g]), [0.995, 2.01]);
  });
  it('momentum: m = 0.9 m - lr g; w += m', () => {
    expectClose(run(new SGD({ learningRate: 0.1, momentum: 0.9 }), [g, g]), [1 - 0.05 - 0.095, 2 + 0.1 + 0.19]);
  });
  it('nesterov: w += 0.9 m - lr g', () => {
    expectClose(run(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), [g, g]), [1 - 0.095 - 0.1355, 2 + 0.19 + 0.271]);
  });
});

/** Keras's Adam formulas in double precision. */
function adamReference(lr: number, grads: number[][], weightDecay = 0): number[] {
  const w = [1, 2];
  const m = [0, 0];
  const v = [0, 0];
  grads.forEach((gr, step) => {
    const t = step + 1;
    const alpha = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    for (let i = 0; i < 2; i++) {
      w[i] -= w[i] * weightDecay * lr;
      m[i] += (gr[i] - m[i]) * 0.1;
      v[i] += (gr[i] * gr[i] - v[i]) * 0.001;
      w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + 1e-7);
    }
  });
  return w;
}

describe('Adam and AdamW', () => {
  it('first step moves each weight by about lr against the gradient sign', () => {
    const w = run(new Adam({ learningRate: 0.1 }), [g]);
    // alpha = 0.1 * sqrt(0.001) / 0.1; update = alpha * 0.1 g / (alpha |g| + 1e-7)
    const alpha = Math.sqrt(0.001);
    expectClose(w, [1 - (alpha * 0.05) / (alpha * 0.5 + 1e-7), 2 + (alpha * 0.1) / (alpha * 1 + 1e-7)]);
  });
  it('follows the Keras formulas over several steps (epsilon 1e-7 outside the bias correction)', () => {
    const grads = [g, [0.25, 0.5], [-2, 0.1]];
    expectClose(run(new Adam({ learningRate: 0.01 }), grads), adamReference(0.01, grads), 5);
  });
  it('AdamW decays weights by w * weightDecay * lr before the Adam step', () => {
    const grads = [g, [0.25, 0.5]];
    expectClose(run(new AdamW({ learningRate: 0.1, weightDecay: 0.1 }), grads), adamReference(0.1, grads, 0.1), 5);
    expect(new AdamW().weightDecay).toBe(0.004);
    expect(() => new AdamW({ weightDecay: null })).toThrow(/weightDecay must be a number/);
  });
  it('amsgrad keeps the largest velocity', () => {
    const opt = new Adam({ learningRate: 0.1, amsgrad: true });
    const w = run(opt, [[1, 1], [0.1, 0.1]]);
    expect(w[0]).toBeLessThan(1 - 0.1);
  });
});

describe('RMSprop', () => {
  const inc = (lr: number, x: number, denom: number) => (lr * x) / Math.sqrt(denom);
  it('velocity = 0.9 v + 0.1 g^2; w -= lr g / sqrt(v + eps)', () => {
    expectClose(run(new RMSprop({ learningRate: 0.01 }), [g]), [1 - inc(0.01, 0.5, 0.025 + 1e-7), 2 + inc(0.01, 1, 0.1 + 1e-7)]);
  });
  it('centered subtracts the squared mean gradient', () => {
    expectClose(run(new RMSprop({ learningRate: 0.01, centered: true }), [g]), [1 - inc(0.01, 0.5, 0.0225 + 1e-7), 2 + inc(0.01, 1, 0.09 + 1e-7)]);
  });
  it('momentum accumulates increments', () => {
    const first = inc(0.01, 0.5, 0.025 + 1e-7);
    const v2 = 0.9 * 0.025 + 0.1 * 0.25;
    const second = inc(0.01, 0.5, v2 + 1e-7);
    const w = run(new RMSprop({ learningRate: 0.01, momentum: 0.5 }), [g, g]);
    expect(w[0]).toBeCloseTo(1 - first - (0.5 * first + second), 6);
  });
});

describe('Adagrad', () => {
  it('accumulator starts at 0.1; w -= lr g / sqrt(acc + eps)', () => {
    expectClose(run(new Adagrad({ learningRate: 0.1 }), [g]), [1 - 0.05 / Math.sqrt(0.35 + 1e-7), 2 + 0.1 / Math.sqrt(1.1 + 1e-7)]);
  });
});

describe('gradient clipping (Keras 3)', () => {
  // Two weights with gradients [3, 4] (norm 5) and [0, 12] (norm 12); global norm 13. SGD with lr 1
  // makes each weight's change equal to minus its clipped gradient.
  function clippedGradients(opts: Record<string, number>): number[][] {
    const a = tf.variable(tf.zeros([2]));
    const b = tf.variable(tf.zeros([2]));
    const ga = tf.tensor1d([3, 4]);
    const gb = tf.tensor1d([0, 12]);
    const opt = new SGD({ learningRate: 1, ...opts });
    opt.applyGradients([ga, gb], [a, b]);
    const out = [Array.from(a.dataSync()).map((x) => -x), Array.from(b.dataSync()).map((x) => -x)];
    tf.dispose([a, b, ga, gb]);
    return out;
  }
  it('clipnorm clips each tensor to that L2 norm', () => {
    const [a, b] = clippedGradients({ clipnorm: 2 });
    expectClose(a, [1.2, 1.6]);
    expectClose(b, [0, 2]);
    const [c, d] = clippedGradients({ clipnorm: 100 });
    expectClose(c, [3, 4]);
    expectClose(d, [0, 12]);
  });
  it('globalClipnorm scales all tensors by c / global norm', () => {
    const [a, b] = clippedGradients({ globalClipnorm: 6.5 });
    expectClose(a, [1.5, 2]);
    expectClose(b, [0, 6]);
  });
  it('clipvalue clips elementwise', () => {
    const [a, b] = clippedGradients({ clipvalue: 3.5 });
    expectClose(a, [3, 3.5]);
    expectClose(b, [0, 3.5]);
  });
  it('setting more than one is an error naming them', () => {
    expect(() => new Adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm.*clipnorm=1, clipvalue=1, globalClipnorm=null/);
    expect(() => new SGD({ clipnorm: -1 })).toThrow(/clipnorm must be a positive number/);
  });
});

describe('learning rate and state', () => {
  it('a schedule is evaluated at the iteration count before each update', () => {
    const opt = new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }) });
    expect(run(opt, [[1, 1], [1, 1]])).toEqual([1 - 1 - 0.5, 2 - 1 - 0.5]);
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow(/LearningRateSchedule/);
  });

  it('getWeights/setWeights restore iterations, learning rate and slots for an exact resume', () => {
    const grads = [g, [0.3, 0.2], [1, -0.5], [-0.2, 0.4]];
    const reference = run(new Adam({ learningRate: 0.05 }), grads);

    const w = tf.variable(tf.tensor1d([1, 2]));
    const first = new Adam({ learningRate: 0.05 });
    for (const gr of grads.slice(0, 2)) tf.tidy(() => first.applyGradients([tf.tensor1d(gr)], [w], ['lstm/kernel']));
    const state = first.getWeights();
    expect(first.getWeightNames()).toEqual(['adam/iteration', 'adam/learning_rate', 'adam/lstm_kernel_momentum', 'adam/lstm_kernel_velocity']);
    expect(state[0].dataSync()[0]).toBe(2);
    first.dispose();

    const resumed = new Adam({ learningRate: 0.9 });
    resumed.setWeights(state); // before the first update: applied when built
    tf.dispose(state);
    for (const gr of grads.slice(2)) tf.tidy(() => resumed.applyGradients([tf.tensor1d(gr)], [w], ['lstm/kernel']));
    expect(resumed.iterations).toBe(4);
    expect(resumed.learningRate).toBeCloseTo(0.05, 7);
    expectClose(Array.from(w.dataSync()), reference, 6);
    resumed.dispose();
    w.dispose();
  });

  it('RMSprop slots follow Keras order: all velocities, then momenta', () => {
    const opt = new RMSprop({ momentum: 0.5 });
    const a = tf.variable(tf.zeros([1]));
    const b = tf.variable(tf.zeros([2]));
    tf.tidy(() => opt.applyGradients([tf.ones([1]), tf.ones([2])], [a, b], ['a', 'b']));
    expect(opt.getWeightNames().slice(2)).toEqual(['rmsprop/a_velocity', 'rmsprop/b_velocity', 'rmsprop/a_momentum', 'rmsprop/b_momentum']);
    const ws = opt.getWeights();
    expect(ws.map((t) => t.shape)).toEqual([[], [], [1], [2], [1], [2]]);
    expect(() => opt.setWeights(ws.slice(1))).toThrow(/expected 6 tensors/);
    tf.dispose(ws);
    opt.dispose();
    tf.dispose([a, b]);
  });

  it('updates leave no tensors behind after the first (slot-creating) step', () => {
    const w = tf.variable(tf.ones([3]));
    const opt = new Adam({ clipnorm: 1 });
    const step = () => tf.tidy(() => opt.applyGradients([tf.ones([3])], [w]));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    w.dispose();
  });

  it('getOptimizer builds Keras defaults by name', () => {
    const rms = getOptimizer('rmsprop') as RMSprop;
    expect([rms.learningRate, rms.rho, rms.epsilon, rms.centered]).toEqual([0.001, 0.9, 1e-7, false]);
    expect((getOptimizer('adam') as Adam).epsilon).toBe(1e-7);
    expect(getOptimizer('SGD').learningRate).toBe(0.01);
    expect(getOptimizer({ className: 'Adam', config: { learningRate: 0.5 } }).learningRate).toBe(0.5);
    const roundTrip = getOptimizer(new SGD({ momentum: 0.9, learningRate: new ExponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 }) }).serialize());
    expect(roundTrip.learningRateSchedule?.value(2)).toBe(0.5);
    expect(() => getOptimizer('adma')).toThrow(/did you mean 'adam'/);
  });
});
