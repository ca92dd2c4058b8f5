/**
 * The optimizers' update rules (one array loop each) against Keras's formulas written with tfjs ops
 * (__tests__/keras_reference.ts): every optimizer and option, with each clipping mode, over several
 * steps on random float32 tensors of a few shapes; hand-computed tiny cases; non-finite gradients;
 * state export and resume; schedules; tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { SGD } from './sgd';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { RMSprop } from './rmsprop';
import { Adagrad } from './adagrad';
import { Optimizer } from './optimizer';
import { ExponentialDecay } from './schedules';
import { KerasReference } from './__tests__/keras_reference';

beforeAll(() => tf.setBackend('cpu'));

/** Deterministic pseudo-random normal-ish numbers (sum of uniforms), so both paths see the same data. */
function randomArray(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() + next() + next() - 1.5) * 2 * scale;
  return out;
}

const SHAPES = [[7, 5], [5], [2, 3, 4]];
const NAMES = ['dense/kernel', 'dense/bias', 'conv/kernel'];
const STEPS = 4;

interface RunResult {
  weights: Float32Array[];
  /** slots[variable][kind] */
  slots: Record<string, Float32Array>[];
}

const initialWeights = () => SHAPES.map((shape, k) => tf.variable(tf.tensor(randomArray(tf.util.sizeFromShape(shape), 100 + k), shape)));
const stepGradients = (step: number, gradientScale: number) =>
  SHAPES.map((shape, k) => tf.tensor(randomArray(tf.util.sizeFromShape(shape), 1000 * step + k + 1, gradientScale), shape));

/** Runs `steps` updates of a fresh optimizer on fresh variables, and reads everything back. */
function runOptimizer(make: () => Optimizer, steps = STEPS, gradientScale = 1): RunResult & { kinds: string[] } {
  const vars = initialWeights();
  const opt = make();
  for (let step = 0; step < steps; step++) {
    const grads = stepGradients(step, gradientScale);
    opt.applyGradients(grads, vars, NAMES);
    tf.dispose(grads);
  }
  const state = opt.getWeights();
  const stateNames = opt.getWeightNames();
  const byName = new Map(stateNames.map((name, k) => [name, Float32Array.from(state[k].dataSync())]));
  const kinds = new Set<string>();
  const slots = NAMES.map((varName) => {
    const out: Record<string, Float32Array> = {};
    const prefix = `${opt.name}/${varName.replace(/\//g, '_')}_`;
    for (const [name, values] of byName) {
      if (!name.startsWith(prefix)) continue;
      out[name.slice(prefix.length)] = values;
      kinds.add(name.slice(prefix.length));
    }
    return out;
  });
  const result = { weights: vars.map((v) => Float32Array.from(v.dataSync())), slots, kinds: [...kinds].sort() };
  tf.dispose([...state, ...vars]);
  opt.dispose();
  return result;
}

/** The same updates through the op-based Keras reference. */
function runReference(make: () => Optimizer, noDecay: readonly string[], steps = STEPS, gradientScale = 1): RunResult & { kinds: string[] } {
  const vars = initialWeights();
  const opt = make();
  const reference = new KerasReference(opt, noDecay);
  for (let step = 0; step < steps; step++) {
    const grads = stepGradients(step, gradientScale);
    reference.applyGradients(grads, vars, NAMES);
    tf.dispose(grads);
  }
  const result = {
    weights: vars.map((v) => Float32Array.from(v.dataSync())),
    slots: NAMES.map((_n, i) => Object.fromEntries(reference.slotKinds.map((kind) => [kind, reference.slot(i, kind)]))),
    kinds: [...reference.slotKinds].sort(),
  };
  tf.dispose(vars);
  reference.dispose();
  opt.dispose();
  return result;
}

/**
 * Agreement to `rel` relative, NaN matching NaN. An element is measured against the larger of its own
 * magnitude and the largest magnitude in its array: an element that an update brought near zero by
 * cancellation (w = 1.2 - 1.19997) carries the rounding of the operands, not of the small result.
 */
function expectAgree(actual: Float32Array, expected: Float32Array, what: string, rel = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (const x of expected) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) throw new Error(`${what}[${i}]: fused ${a}, op path ${b}`);
      continue;
    }
    const e = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), scale, 1e-30);
    if (e > rel) throw new Error(`${what}[${i}]: fused ${a}, op path ${b} (relative difference ${e})`);
  }
}

function expectRulesAgree(make: () => Optimizer, noDecay: readonly string[] = [], steps = STEPS, gradientScale = 1): void {
  const reference = runReference(make, noDecay, steps, gradientScale);
  const actual = runOptimizer(make, steps, gradientScale);
  expect(actual.kinds).toEqual(reference.kinds);
  actual.weights.forEach((w, k) => expectAgree(w, reference.weights[k], `weights ${NAMES[k]}`));
  actual.slots.forEach((slots, k) => {
    for (const kind of reference.kinds) expectAgree(slots[kind], reference.slots[k][kind], `${NAMES[k]} ${kind}`);
  });
}

const CLIPPING: [string, Record<string, number>][] = [
  ['no clipping', {}],
  ['clipnorm', { clipnorm: 1 }],
  ['globalClipnorm', { globalClipnorm: 2 }],
  ['clipvalue', { clipvalue: 0.5 }],
];

const OPTIMIZERS: [string, (clip: Record<string, number>) => Optimizer, string[]?][] = [
  ['SGD', (c) => new SGD({ learningRate: 0.05, ...c })],
  ['SGD momentum', (c) => new SGD({ learningRate: 0.05, momentum: 0.9, ...c })],
  ['SGD nesterov', (c) => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true, ...c })],
  ['SGD momentum + weight decay', (c) => new SGD({ learningRate: 0.05, momentum: 0.5, weightDecay: 0.1, ...c })],
  ['Adam', (c) => new Adam({ learningRate: 0.01, ...c })],
  ['Adam amsgrad', (c) => new Adam({ learningRate: 0.01, amsgrad: true, ...c })],
  ['Adam betas and epsilon', (c) => new Adam({ learningRate: 0.02, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, ...c })],
  ['AdamW', (c) => new AdamW({ learningRate: 0.01, ...c })],
  ['AdamW amsgrad, weight decay 0.1', (c) => new AdamW({ learningRate: 0.05, weightDecay: 0.1, amsgrad: true, ...c })],
  [
    'AdamW excluding biases from decay',
    (c) => {
      const opt = new AdamW({ learningRate: 0.05, weightDecay: 0.2, ...c });
      opt.excludeFromWeightDecay(['bias']);
      return opt;
    },
    ['bias'],
  ],
  ['RMSprop', (c) => new RMSprop({ learningRate: 0.01, ...c })],
  ['RMSprop centered', (c) => new RMSprop({ learningRate: 0.01, centered: true, ...c })],
  ['RMSprop momentum', (c) => new RMSprop({ learningRate: 0.01, momentum: 0.9, ...c })],
  ['RMSprop centered momentum rho 0.8', (c) => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5, rho: 0.8, ...c })],
  ['Adagrad', (c) => new Adagrad({ learningRate: 0.05, ...c })],
  ['Adagrad accumulator 0.5, epsilon 1e-4', (c) => new Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.5, epsilon: 1e-4, ...c })],
];

describe('the update rules agree with the Keras formulas in tfjs ops to 1e-6 relative', () => {
  for (const [name, make, noDecay] of OPTIMIZERS) {
    describe(name, () => {
      for (const [clipName, clip] of CLIPPING) {
        it(clipName, () => expectRulesAgree(() => make(clip), noDecay));
      }
    });
  }

  it('with large gradients, where every clipping mode is active', () => {
    for (const [, clip] of CLIPPING.slice(1)) expectRulesAgree(() => new RMSprop({ learningRate: 0.01, momentum: 0.5, ...clip }), [], 3, 50);
  });
});

/** The optimizer on w = [1, 2] with the given gradients (one update each); returns w. */
function tinyRun(make: () => Optimizer, gradients: number[][], initial = [1, 2]): number[] {
  const w = tf.variable(tf.tensor1d(initial));
  const opt = make();
  for (const g of gradients) tf.tidy(() => opt.applyGradients([tf.tensor1d(g)], [w], ['dense/kernel']));
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function expectCloseTo(result: number[], expected: number[]): void {
  result.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
}

describe('the RMSprop loop without momentum, centering, clipvalue or decay', () => {
  it('gives the general loop\'s values bit for bit (a clipvalue no gradient reaches takes the general loop)', () => {
    // (with clipnorm the loop is the same; the Keras-formula cases above cover it)
    const fast = runOptimizer(() => new RMSprop({ learningRate: 0.01, rho: 0.8 }), 5);
    const general = runOptimizer(() => new RMSprop({ learningRate: 0.01, rho: 0.8, clipvalue: 1e30 }), 5);
    fast.weights.forEach((w, k) => expect(Array.from(w)).toEqual(Array.from(general.weights[k])));
    fast.slots.forEach((slots, k) => expect(Array.from(slots.velocity)).toEqual(Array.from(general.slots[k].velocity)));
  });
});

describe('hand-computed tiny cases', () => {
  it('SGD nesterov with weight decay: w -= w wd lr; m = 0.9 m - lr g; w += 0.9 m - lr g', () => {
    // One step, lr 0.1, wd 0.5, g = [0.5, -1]: w = [0.95, 1.9]; m = [-0.05, 0.1]; w += [-0.095, 0.19].
    expectCloseTo(tinyRun(() => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.5 }), [[0.5, -1]]), [0.95 - 0.095, 1.9 + 0.19]);
  });

  it('Adam amsgrad with clipnorm: the first step moves each weight by alpha * sign', () => {
    // g = [3, 4] clipped to norm 1: [0.6, 0.8]; m = 0.1 g; v = 0.001 g^2; alpha = 0.1 sqrt(0.001) / 0.1.
    const alpha = Math.sqrt(0.001);
    const step = (g: number) => (alpha * 0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7);
    expectCloseTo(tinyRun(() => new Adam({ learningRate: 0.1, amsgrad: true, clipnorm: 1 }), [[3, 4]]), [1 - step(0.6), 2 - step(0.8)]);
  });

  it('AdamW: decay before the Adam step', () => {
    const alpha = 0.1 * Math.sqrt(0.001) / 0.1;
    const step = (g: number) => (alpha * 0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7);
    expectCloseTo(tinyRun(() => new AdamW({ learningRate: 0.1, weightDecay: 0.1 }), [[0.5, -1]]), [1 - 0.01 - step(0.5), 2 - 0.02 - step(-1)]);
  });

  it('RMSprop centered with momentum and clipvalue', () => {
    // g = [0.5, -1] clipped to [0.5, -0.8]; v = 0.1 g^2; avg = 0.1 g; inc = lr g / sqrt(v - avg^2 + eps); mom = inc.
    const inc = (g: number) => (0.01 * g) / Math.sqrt(0.1 * g * g - 0.01 * g * g + 1e-7);
    const first = [inc(0.5), inc(-0.8)];
    // Second step with the same gradient: v = 0.19 g^2, avg = 0.19 g.
    const inc2 = (g: number) => (0.01 * g) / Math.sqrt(0.19 * g * g - 0.0361 * g * g + 1e-7);
    const second = [0.5 * first[0] + inc2(0.5), 0.5 * first[1] + inc2(-0.8)];
    const result = tinyRun(() => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5, clipvalue: 0.8 }), [[0.5, -1], [0.5, -1]]);
    expectCloseTo(result, [1 - first[0] - second[0], 2 - first[1] - second[1]]);
  });

  it('Adagrad with globalClipnorm over one variable', () => {
    // g = [3, 4] (norm 5) scaled to norm 2.5: [1.5, 2]; acc = 0.1 + g^2.
    const expected = [1 - (0.1 * 1.5) / Math.sqrt(0.1 + 2.25 + 1e-7), 2 - (0.1 * 2) / Math.sqrt(0.1 + 4 + 1e-7)];
    expectCloseTo(tinyRun(() => new Adagrad({ learningRate: 0.1, globalClipnorm: 2.5 }), [[3, 4]]), expected);
  });
});

describe('non-finite gradients, as in the Keras formulas', () => {
  function nonFiniteRun(useReference: boolean, opts: Record<string, number>, bad: number): Float32Array[] {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3, 4, 5]));
    const opt = new SGD({ learningRate: 0.1, ...opts });
    const reference = new KerasReference(opt);
    tf.tidy(() => {
      const grads = [tf.tensor1d([0.5, bad]), tf.tensor1d([1, 2, 3])];
      if (useReference) reference.applyGradients(grads, [a, b], ['a', 'b']);
      else opt.applyGradients(grads, [a, b]);
    });
    const out = [Float32Array.from(a.dataSync()), Float32Array.from(b.dataSync())];
    tf.dispose([a, b]);
    reference.dispose();
    opt.dispose();
    return out;
  }

  it.each([
    ['globalClipnorm, infinite element', { globalClipnorm: 1 }, Infinity],
    ['globalClipnorm, NaN element', { globalClipnorm: 1 }, NaN],
    ['clipnorm, infinite element', { clipnorm: 1 }, Infinity],
    ['clipnorm, NaN element', { clipnorm: 1 }, NaN],
    ['clipvalue, infinite element', { clipvalue: 1 }, -Infinity],
    ['clipvalue, NaN element', { clipvalue: 1 }, NaN],
  ] as [string, Record<string, number>, number][])('%s', (_name, opts, bad) => {
    const expected = nonFiniteRun(true, opts, bad);
    const actual = nonFiniteRun(false, opts, bad);
    expected.forEach((w, k) => expectAgree(actual[k], w, `variable ${k}`));
    if (opts.globalClipnorm !== undefined) {
      // Keras: a non-finite global norm makes every clipped gradient, hence every weight, NaN.
      for (const w of actual) expect(Array.from(w).every(Number.isNaN)).toBe(true);
    }
  });
});

describe('state, schedules, inputs and memory', () => {
  it('getWeights/setWeights resumes exactly like an uninterrupted run', () => {
    const make = () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.9, clipnorm: 1 });
    const grads = (step: number) => SHAPES.map((shape, k) => tf.tensor(randomArray(tf.util.sizeFromShape(shape), 7 * step + k + 3), shape));
    const initial = () => SHAPES.map((shape, k) => tf.variable(tf.tensor(randomArray(tf.util.sizeFromShape(shape), 50 + k), shape)));
    const step = (opt: Optimizer, vars: tf.Variable[], s: number) => {
      const g = grads(s);
      opt.applyGradients(g, vars, NAMES);
      tf.dispose(g);
    };

    const straightVars = initial();
    const straight = make();
    for (let s = 0; s < 6; s++) step(straight, straightVars, s);

    const vars = initial();
    const first = make();
    for (let s = 0; s < 3; s++) step(first, vars, s);
    const state = first.getWeights();
    first.dispose();
    const resumed = make();
    resumed.setWeights(state);
    tf.dispose(state);
    for (let s = 3; s < 6; s++) step(resumed, vars, s);

    expect(resumed.iterations).toBe(6);
    vars.forEach((v, k) => expect(Array.from(v.dataSync())).toEqual(Array.from(straightVars[k].dataSync())));
    const [a, b] = [resumed.getWeights(), straight.getWeights()];
    a.forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(b[k].dataSync())));
    tf.dispose([a, b, vars, straightVars]);
    resumed.dispose();
    straight.dispose();
  });

  it('a learning rate schedule applies at each step', () => {
    // lr 1, then 0.5: w -= 1 * g; w -= 0.5 * g.
    expect(tinyRun(() => new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }) }), [[1, 2], [1, 2]]))
      .toEqual([1 - 1 - 0.5, 2 - 2 - 1]);
    // Adam with a decaying rate: as in the Keras formulas, and different from a constant rate.
    const schedule = () => new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 1, decayRate: 0.5 }) });
    expectRulesAgree(schedule);
    const decayed = runOptimizer(schedule).weights[0];
    const constant = runOptimizer(() => new Adam({ learningRate: 0.05 })).weights[0];
    expect(Array.from(decayed)).not.toEqual(Array.from(constant));
  });

  it('a null gradient leaves its variable and slots unchanged', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3, 4]));
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9, globalClipnorm: 1 });
    tf.tidy(() => opt.applyGradients([null, tf.tensor1d([3, 4])], [a, b]));
    expect(Array.from(a.dataSync())).toEqual([1, 2]);
    expect(Array.from(b.dataSync())).toEqual([3 - 0.06, 4 - 0.08].map(Math.fround));
    const state = opt.getWeights();
    expect(Array.from(state[2].dataSync())).toEqual([0, 0]);
    tf.dispose([a, b, state]);
    opt.dispose();
  });

  it('a gradient of another shape, or a variable that is not float32, is an error naming it', () => {
    const w = tf.variable(tf.zeros([2, 3]), true, 'dense/kernel');
    const counter = tf.variable(tf.zeros([2], 'int32'), true, 'counter');
    const opt = new SGD();
    expect(() => tf.tidy(() => opt.applyGradients([tf.zeros([3, 2])], [w]))).toThrow(/gradient of variable 'dense\/kernel' has shape \[3,2\], the variable \[2,3\]/);
    const other = new SGD();
    expect(() => tf.tidy(() => other.applyGradients([tf.zeros([2], 'int32')], [counter]))).toThrow(/variable 'counter' has dtype int32; optimizers update float32 variables only/);
    tf.dispose([w, counter]);
    opt.dispose();
    other.dispose();
  });

  it('leaves no tensors behind over repeated updates, for every clipping mode and weight decay', () => {
    for (const [, clip] of CLIPPING) {
      const vars = SHAPES.map((shape) => tf.variable(tf.ones(shape)));
      const grads = SHAPES.map((shape, k) => tf.tensor(randomArray(tf.util.sizeFromShape(shape), k + 1), shape));
      const opt = new AdamW({ amsgrad: true, ...clip });
      opt.applyGradients(grads, vars);
      const before = tf.memory().numTensors;
      const bytes = tf.memory().numBytes;
      for (let i = 0; i < 5; i++) opt.applyGradients(grads, vars);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.memory().numBytes).toBe(bytes);
      tf.dispose([vars, grads]);
      opt.dispose();
    }
  });

  it('never writes into the arrays it reads (gradients and the weights they alias)', () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const alias = w.clone(); // shares w's stored array
    const g = tf.tensor1d([0.5, -1, 2]);
    const opt = new RMSprop({ momentum: 0.5, centered: true });
    opt.applyGradients([g], [w]);
    expect(Array.from(alias.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(g.dataSync())).toEqual([0.5, -1, 2]);
    tf.dispose([w, alias, g]);
    opt.dispose();
  });
});
