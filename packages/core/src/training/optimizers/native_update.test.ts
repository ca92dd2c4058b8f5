/**
 * The rules the addon runs (optimizerUpdate of @recurrent/kernels) give the same bits as the rules'
 * JavaScript loops: weights and slots after several steps, for every covered case (with and without
 * weight decay, each clipping scale, NaN scales included), on arrays with zeros of both signs,
 * subnormals, huge values, infinities and NaN in gradients and weights, at odd lengths (the vector
 * loops' tails) and at a length the addon splits over its threads. The JavaScript loops run when the
 * TypeScript kernels are chosen (as when the addon does not load), and for the cases the addon does
 * not cover.
 */
import * as tf from '@tensorflow/tfjs';
import * as kernels from '@recurrent/kernels';
import { SGD } from './sgd';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { RMSprop } from './rmsprop';
import { Adagrad } from './adagrad';
import type { Optimizer } from './optimizer';

jest.mock('@recurrent/kernels', () => {
  const actual = jest.requireActual('@recurrent/kernels');
  return { ...actual, optimizerUpdate: jest.fn(actual.optimizerUpdate) };
});
const optimizerUpdate = kernels.optimizerUpdate as jest.MockedFunction<typeof kernels.optimizerUpdate>;

beforeAll(() => tf.setBackend('cpu'));
afterAll(() => kernels.setImplementation('native'));

const SPECIAL = [0, -0, 1e-45, -1e-40, 1.2e-38, 3e38, -3e38, Infinity, -Infinity, NaN, 1, -1];

/** Deterministic values of about `scale`, with a special value at every 37th element. */
function valuesWithSpecials(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 37 === seed % 37 ? SPECIAL[(i / 37 + seed) % SPECIAL.length | 0] : (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

interface Run {
  weights: Float32Array[];
  state: Float32Array[];
  /** Calls of optimizerUpdate that the addon answered. */
  nativeCalls: number;
}

/** Three steps of a fresh optimizer on two variables (the second one plain, the first with special values). */
function run(make: () => Optimizer, length: number, implementation: 'native' | 'typescript'): Run {
  kernels.setImplementation(implementation);
  optimizerUpdate.mockClear();
  const shapes = [[length], [length + 2]];
  const vars = shapes.map((shape, k) => tf.variable(tf.tensor(valuesWithSpecials(shape[0], 11 + k, 1), shape)));
  const opt = make();
  for (let step = 0; step < 3; step++) {
    const grads = shapes.map((shape, k) => tf.tensor(valuesWithSpecials(shape[0], 100 * step + k, k === 0 ? 1 : 1e-3), shape));
    opt.applyGradients(grads, vars, ['special', 'plain']);
    tf.dispose(grads);
  }
  const state = opt.getWeights();
  const result = {
    weights: vars.map((v) => Float32Array.from(v.dataSync())),
    state: state.map((t) => Float32Array.from(t.dataSync())),
    nativeCalls: optimizerUpdate.mock.results.filter((r) => r.type === 'return' && r.value !== null).length,
  };
  tf.dispose([...state, ...vars]);
  opt.dispose();
  return result;
}

/** The indices where two arrays differ in their bits (any NaN equals any NaN: tfjs does not tell them apart). */
function bitDifferences(a: Float32Array, b: Float32Array): number[] {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) out.push(i);
  return out;
}

function expectSameBits(native: Run, typescript: Run): void {
  expect(native.weights.length).toBe(typescript.weights.length);
  native.weights.forEach((w, k) => expect(bitDifferences(w, typescript.weights[k])).toEqual([]));
  expect(native.state.length).toBe(typescript.state.length);
  native.state.forEach((s, k) => expect(bitDifferences(s, typescript.state[k])).toEqual([]));
}

const covered: Array<[string, () => Optimizer]> = [
  ['Adam', () => new Adam({ learningRate: 0.01 })],
  ['Adam with clipnorm', () => new Adam({ learningRate: 0.01, clipnorm: 0.5 })],
  ['Adam with globalClipnorm (a NaN scale: the norm is infinite)', () => new Adam({ globalClipnorm: 1 })],
  ['AdamW', () => new AdamW({ learningRate: 0.01, weightDecay: 0.1 })],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01 })],
  ['RMSprop with weight decay and clipnorm', () => new RMSprop({ weightDecay: 0.05, clipnorm: 1 })],
  ['Adagrad', () => new Adagrad({ learningRate: 0.1 })],
  ['Adagrad with weight decay', () => new Adagrad({ weightDecay: 0.01 })],
  ['SGD', () => new SGD({ learningRate: 0.1 })],
  ['SGD with weight decay', () => new SGD({ learningRate: 0.1, weightDecay: 0.01 })],
  ['SGD with momentum', () => new SGD({ learningRate: 0.1, momentum: 0.9 })],
  ['SGD with Nesterov momentum and weight decay', () => new SGD({ learningRate: 0.1, momentum: 0.5, nesterov: true, weightDecay: 0.02 })],
];

// Odd lengths past the addon's minimum leave vector tails; 100003 weights are split over the threads.
const LENGTHS = [kernels.MIN_NATIVE_OPTIMIZER_WEIGHTS + 1, 100003];

describe('native optimizer updates', () => {
  test.each(covered)('%s: the addon and the JavaScript loop give the same bits', (_name, make) => {
    for (const length of LENGTHS) {
      const native = run(make, length, 'native');
      const typescript = run(make, length, 'typescript');
      expect(native.nativeCalls).toBe(6); // two variables, three steps
      expect(typescript.nativeCalls).toBe(0);
      expectSameBits(native, typescript);
    }
  });

  test.each([
    ['Adam with amsgrad', () => new Adam({ amsgrad: true })],
    ['Adam with clipvalue', () => new Adam({ clipvalue: 0.5 })],
    ['RMSprop with momentum', () => new RMSprop({ momentum: 0.5 })],
    ['centered RMSprop', () => new RMSprop({ centered: true })],
    ['SGD with clipvalue', () => new SGD({ clipvalue: 0.5 })],
  ] as Array<[string, () => Optimizer]>)('%s keeps the JavaScript loop', (_name, make) => {
    expect(run(make, kernels.MIN_NATIVE_OPTIMIZER_WEIGHTS + 1, 'native').nativeCalls).toBe(0);
  });

  test('small variables keep the JavaScript loop, with the same results', () => {
    const make = () => new Adam({ learningRate: 0.01 });
    const native = run(make, 5, 'native');
    expect(native.nativeCalls).toBe(0);
    expectSameBits(native, run(make, 5, 'typescript'));
  });

  test('native updates keep the tensor count flat', () => {
    kernels.setImplementation('native');
    const v = tf.variable(tf.tensor(valuesWithSpecials(20000, 3, 1)));
    const opt = new Adam();
    const g = tf.tensor(valuesWithSpecials(20000, 4, 1));
    opt.applyGradients([g], [v]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) opt.applyGradients([g], [v]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([g, v]);
    opt.dispose();
  });
});
