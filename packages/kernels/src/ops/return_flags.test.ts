/**
 * returnSequences and returnState reach the kernels. A many-to-one request (returnSequences: false)
 * gets the last processing step's output, [batch, units], and the backward takes that output's
 * gradient alone; returnState: false drops the final states. Checked for both implementations
 * against their own full-sequence results (bit for bit), against finite differences of the float64
 * reference (many-to-one loss), against each other, and through the op against the step-by-step
 * tfjs reference; and the native inference that projects the inputs a chunk of steps at a time
 * against the one that projects them all at once.
 */
import * as tf from '@tensorflow/tfjs';
import { implementationsUnderTest } from '../backend/implementations_under_test';
import { setImplementation } from '../backend/implementation_choice';
import { referenceRecurrentSequence } from '../__tests__/reference';
import { caseTensors, disposeInputs, randomCase } from '../__tests__/reference/random_case';
import { maxAbsDiff } from '../__tests__/reference/loss_helpers';
import { requireNative } from '../native/__tests__/native_fixture';
import { checkGradients, randomLossWeights, type LossWeights } from '../native/__tests__/finite_differences';
import { CELL_VARIANTS, describeCase, maxScaledDiff, randomRequest, type CaseOptions } from '../native/__tests__/random_requests';
import type { ForwardRequest, RecurrentImplementation } from '../spec';
import { typescriptImplementation } from '../typescript';
import { recurrentSequence } from './recurrent_sequence';

const IMPLEMENTATIONS: RecurrentImplementation[] = implementationsUnderTest().map((name) =>
  name === 'native' ? requireNative().impl : typescriptImplementation,
);

const OPTION_SETS: Partial<CaseOptions>[] = [
  {},
  { mask: 'gaps' },
  { mask: 'gaps', zeroOutputForMask: true },
  { mask: 'fullRow', initialStates: true },
  { mask: 'leading', goBackwards: true },
  { goBackwards: true, initialStates: true, dropout: true },
  { time: 1 },
];

const CASES: CaseOptions[] = CELL_VARIANTS.flatMap((variant, v) =>
  OPTION_SETS.map((options, o) => ({ ...variant, ...options, seed: 300 + 10 * v + o })),
);

/** Equal element by element (NaN matching NaN; a zero's sign may differ, as adding a zero gradient shows). */
function expectSame(actual: ArrayLike<number> | null, expected: ArrayLike<number> | null, what: string): void {
  if (actual === null || expected === null) {
    expect([what, actual]).toEqual([what, expected]);
    return;
  }
  expect([what, actual.length]).toEqual([what, expected.length]);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], b = expected[i];
    if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) throw new Error(`${what}[${i}]: ${a}, expected ${b}`);
  }
}

/** The output of the last processing step in a [B, T, U] result: rows b*T + T-1. */
function lastStep(outputs: Float32Array, req: ForwardRequest): Float32Array {
  const { batch: B, time: T, units: U } = req;
  const out = new Float32Array(B * U);
  for (let b = 0; b < B; b++) out.set(outputs.subarray((b * T + T - 1) * U, (b * T + T) * U), b * U);
  return out;
}

/** Loss weights that only weigh the last step's output (the gradient a many-to-one layer passes back). */
function lastStepWeights(req: ForwardRequest, seed: number): { full: LossWeights; last: Float32Array } {
  const full = randomLossWeights(req, seed);
  const { batch: B, time: T, units: U } = req;
  const last = lastStep(full.dOutputs, req);
  full.dOutputs.fill(0);
  for (let b = 0; b < B; b++) full.dOutputs.set(last.subarray(b * U, (b + 1) * U), (b * T + T - 1) * U);
  return { full, last };
}

describe.each(IMPLEMENTATIONS.map((impl) => [impl.name, impl] as const))('%s kernels', (_name, impl) => {
  test.each(CASES.map((c) => [`${c.cell} ${describeCase(c)}`, c] as const))('returnSequences false: the last step, bit for bit (%s)', (_label, options) => {
    const req = randomRequest(options);
    const full = impl.forward(req);
    for (const saveWorkspace of [true, false]) {
      const last = impl.forward({ ...req, returnSequences: false, saveWorkspace });
      expectSame(last.outputs, lastStep(full.outputs, req), 'outputs');
      expectSame(last.h, full.h, 'h');
      expectSame(last.c, full.c, 'c');
      expect(last.workspace.length).toBe(saveWorkspace ? full.workspace.length : 0);
      if (saveWorkspace) expectSame(last.workspace, full.workspace, 'workspace');
    }
    const stateless = impl.forward({ ...req, returnSequences: false, returnState: false, saveWorkspace: false });
    expect(stateless.h.length).toBe(0);
    expect(stateless.c === null ? null : stateless.c.length).toBe(req.cell === 'lstm' ? 0 : null);
    expectSame(stateless.outputs, lastStep(full.outputs, req), 'outputs without states');
  });

  test.each(CASES.map((c) => [`${c.cell} ${describeCase(c)}`, c] as const))('the backward of the last output alone (%s)', (_label, options) => {
    const req = randomRequest(options);
    const { full, last } = lastStepWeights(req, (options.seed ?? 0) + 7);
    const fwd = impl.forward({ ...req, returnSequences: false });
    const manyToOne = impl.backward({ ...req, returnSequences: false, workspace: fwd.workspace, dOutputs: last, dH: full.dH, dC: full.dC });
    const sequence = impl.backward({ ...req, workspace: impl.forward(req).workspace, ...full });
    for (const key of ['dx', 'dKernel', 'dRecurrentKernel', 'dBias', 'dInitialH', 'dInitialC', 'dhNorms'] as const) {
      expectSame(manyToOne[key], sequence[key], key);
    }
    // Finite differences of sum(lastOutput * w) + sum(h * wH) (+ sum(c * wC)) through the float64 reference.
    const mismatches = checkGradients(req, manyToOne, full);
    if (mismatches.length > 0) throw new Error(`${mismatches.length} gradient entries differ, first: ${JSON.stringify(mismatches.slice(0, 3))}`);
  });

  test('a dOutputs of the full sequence is refused when only the last step was returned', () => {
    const req = randomRequest({ cell: 'lstm', batch: 2, time: 3, features: 4, units: 5 });
    const fwd = impl.forward({ ...req, returnSequences: false });
    expect(() => impl.backward({ ...req, returnSequences: false, workspace: fwd.workspace, dOutputs: new Float32Array(30), dH: null, dC: null }))
      .toThrow(/^dOutputs: expected 2x5 = 10 floats, got 30$/);
  });
});

describe('native and TypeScript kernels agree for both settings', () => {
  const native = requireNative().impl;
  test.each(CASES.filter((_c, i) => i % 3 === 0).map((c) => [`${c.cell} ${describeCase(c)}`, c] as const))('%s', (_label, options) => {
    const req = randomRequest({ ...options, units: 37, batch: 5, time: 6 });
    const { full, last } = lastStepWeights(req, 11);
    for (const returnSequences of [true, false]) {
      const run = (impl: RecurrentImplementation) => {
        const fwd = impl.forward({ ...req, returnSequences });
        const dOutputs = returnSequences ? full.dOutputs : last;
        return { fwd, grads: impl.backward({ ...req, returnSequences, workspace: fwd.workspace, dOutputs, dH: full.dH, dC: full.dC }) };
      };
      const a = run(native);
      const b = run(typescriptImplementation);
      expect(maxScaledDiff(a.fwd.outputs, b.fwd.outputs)).toBeLessThanOrEqual(1e-5);
      for (const key of ['dx', 'dKernel', 'dRecurrentKernel', 'dInitialH', 'dhNorms'] as const) {
        expect([returnSequences, key, maxScaledDiff(a.grads[key], b.grads[key]) <= 1e-5]).toEqual([returnSequences, key, true]);
      }
    }
  });
});

describe('native inference a chunk of steps at a time', () => {
  const { impl } = requireNative();
  // The projected inputs of one step of these take 128 KB (LSTM(256), batch 32) or 16 KB (LSTM(64),
  // batch 16): beyond 4 MB the inference projects chunks of steps, by time index (batch larger than
  // a chunk) or by batch row (smaller).
  test.each([
    ['by time index, goBackwards, mask', { cell: 'lstm', batch: 160, time: 40, features: 8, units: 64, goBackwards: true, mask: 'gaps' }],
    ['by batch row, mask', { cell: 'lstm', batch: 2, time: 1100, features: 6, units: 256, mask: 'gaps', initialStates: true }],
    ['by batch row, gru reset_after=false, dropout', { cell: 'gru', resetAfter: false, batch: 3, time: 700, features: 5, units: 256, dropout: true }],
    ['by batch row, gru, goBackwards', { cell: 'gru', batch: 4, time: 500, features: 5, units: 256, goBackwards: true }],
  ] as const)('%s: the same outputs and states as the projection of the whole sequence', (_label, options) => {
    const req = randomRequest({ ...(options as CaseOptions), weightScale: 0.1, seed: 77 });
    const whole = impl.forward(req);
    for (const returnSequences of [true, false]) {
      const chunked = impl.forward({ ...req, saveWorkspace: false, returnSequences });
      const expected = returnSequences ? whole.outputs : lastStep(whole.outputs, req);
      expect(maxAbsDiff(chunked.outputs, expected)).toBe(0);
      expect(maxAbsDiff(chunked.h, whole.h)).toBe(0);
    }
  });
});

describe('the op with returnSequences / returnState false, against the tfjs reference', () => {
  afterAll(() => setImplementation(implementationsUnderTest()[0]));
  test.each(implementationsUnderTest())('%s: values and gradients', (implementation) => {
    setImplementation(implementation);
    for (const options of [{ cell: 'lstm', mask: 'gaps', initialStates: true }, { cell: 'gru', goBackwards: true }, { cell: 'simple_rnn', mask: 'leading', zeroOutputForMask: true }] as const) {
      const c = randomCase({ ...options, seed: 41 });
      const { inputs, attrs } = caseTensors(c);
      const [B, T, U] = [c.request.batch, c.request.time, c.request.units];
      const w = tf.randomNormal([B, U], 0, 1, 'float32', 5);
      const params = [inputs.x, inputs.kernel, inputs.recurrentKernel];
      const lossOf = (lastOutput: tf.Tensor) => tf.sum(tf.mul(lastOutput, w));
      const fusedGrads = tf.grads((x: tf.Tensor, k: tf.Tensor, r: tf.Tensor) => {
        const result = recurrentSequence({ ...inputs, x: tf.mul(x, 1) as tf.Tensor3D, kernel: k as tf.Tensor2D, recurrentKernel: r as tf.Tensor2D }, { ...attrs, returnSequences: false, returnState: false });
        expect(result.outputs.shape).toEqual([B, U]);
        expect(result.h).toBeNull();
        expect(result.c).toBeNull();
        return lossOf(result.outputs);
      })(params);
      const referenceGrads = tf.grads((x: tf.Tensor, k: tf.Tensor, r: tf.Tensor) => {
        const result = referenceRecurrentSequence({ ...inputs, x: x as tf.Tensor3D, kernel: k as tf.Tensor2D, recurrentKernel: r as tf.Tensor2D }, attrs);
        return lossOf(tf.reshape(tf.slice(result.outputs, [0, T - 1, 0], [B, 1, U]), [B, U]));
      })(params);
      fusedGrads.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), referenceGrads[i].dataSync())).toBeLessThan(1e-4));
      // Outside a gradient tape (inference), the same last output.
      tf.tidy(() => {
        const inference = recurrentSequence(inputs, { ...attrs, returnSequences: false });
        const reference = referenceRecurrentSequence(inputs, attrs).outputs;
        expect(maxAbsDiff(inference.outputs.dataSync(), tf.slice(reference, [0, T - 1, 0], [B, 1, U]).dataSync())).toBeLessThan(2e-5);
        expect(inference.h.shape).toEqual([B, U]);
      });
      tf.dispose([w, ...fusedGrads, ...referenceGrads]);
      disposeInputs(inputs);
    }
  });

  test('a many-to-one call in inference creates no [batch, time, units] tensor', () => {
    const x = tf.randomNormal([4, 50, 3]) as tf.Tensor3D;
    const kernel = tf.randomNormal([3, 32]) as tf.Tensor2D;
    const recurrentKernel = tf.randomNormal([8, 32]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const shapes: number[][] = [];
    const result = tf.profile(() => recurrentSequence({ x, kernel, recurrentKernel }, { cell: 'lstm', returnSequences: false, returnState: false }).outputs);
    return result.then((info) => {
      for (const k of info.kernels) shapes.push(...k.outputShapes);
      expect(shapes.some((s) => s.length === 3)).toBe(false);
      expect(info.peakBytes - bytesBefore).toBeLessThan(4 * 50 * 8 * 4); // below one float32 [4, 50, 8] sequence
      expect(tf.memory().numTensors).toBe(before + 1);
      tf.dispose([x, kernel, recurrentKernel, info.result as tf.Tensor]);
    });
  });
});
