/**
 * The registered kernel (both implementations, switched with setImplementation) against the
 * step-by-step tfjs reference: outputs, final states and the gradients tf.grads computes through
 * each, for every cell and option.
 */
import * as tf from '@tensorflow/tfjs';
import { recurrentSequence, setImplementation } from '../../index';
import type { RecurrentSequenceInputs, RecurrentSequenceResult } from '../../ops/recurrent_sequence';
import { implementationsUnderTest } from '../../backend/implementations_under_test';
import { caseName, casesFor, CELLS } from './case_catalog';
import { weightedLoss, maxAbsDiff } from './loss_helpers';
import { caseTensors, disposeInputs, randomCase, type CaseAttributes, type RandomCase } from './random_case';
import { referenceRecurrentSequence } from './reference_sequence';

type SequenceFn = (inputs: RecurrentSequenceInputs, attrs: CaseAttributes) => RecurrentSequenceResult;

const DIFFERENTIABLE = ['x', 'kernel', 'recurrentKernel', 'bias', 'initialH', 'initialC'] as const;

function evaluate(fn: SequenceFn, c: RandomCase, maskDtype: 'float32' | 'bool') {
  const { inputs, attrs } = caseTensors(c, maskDtype);
  const names = DIFFERENTIABLE.filter((n) => inputs[n] != null);
  const params = names.map((n) => inputs[n] as tf.Tensor);
  let values: { outputs: Float32Array; h: Float32Array; c: Float32Array | null } = { outputs: new Float32Array(0), h: new Float32Array(0), c: null };
  tf.tidy(() => {
    const r = fn(inputs, attrs);
    values = { outputs: r.outputs.dataSync().slice() as Float32Array, h: r.h.dataSync().slice() as Float32Array, c: r.c === null ? null : (r.c.dataSync().slice() as Float32Array) };
  });
  let grads: Float32Array[] = [];
  tf.tidy(() => {
    const lossFn = (...ps: tf.Tensor[]) => {
      const withParams = { ...inputs } as Record<string, tf.Tensor | null | undefined>;
      names.forEach((n, i) => (withParams[n] = ps[i]));
      return weightedLoss(fn(withParams as unknown as RecurrentSequenceInputs, attrs), c);
    };
    grads = tf.grads(lossFn)(params).map((g) => g.dataSync().slice() as Float32Array);
  });
  disposeInputs(inputs);
  return { values, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])) as Record<string, Float32Array> };
}

function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  const diff = maxAbsDiff(actual, expected);
  if (!(diff <= tol * scale)) throw new Error(`${what}: max abs difference ${diff} exceeds ${tol * scale}`);
}

describe.each(implementationsUnderTest())('registered kernel (%s) vs per-timestep tfjs reference', (implementation) => {
  beforeAll(() => setImplementation(implementation));
  afterAll(() => setImplementation(implementationsUnderTest()[0]));

  for (const cell of CELLS) {
    test.each(casesFor(cell).map((o) => [caseName(o), o] as const))('%s', (_name, options) => {
      const c = randomCase(options);
      const maskDtype = (options.seed ?? 0) % 2 === 0 ? 'bool' : 'float32';
      const fused = evaluate(recurrentSequence, c, maskDtype);
      const reference = evaluate(referenceRecurrentSequence, c, maskDtype);
      expectClose('outputs', fused.values.outputs, reference.values.outputs, 2e-5);
      expectClose('h', fused.values.h, reference.values.h, 2e-5);
      if (cell === 'lstm') expectClose('c', fused.values.c as Float32Array, reference.values.c as Float32Array, 2e-5);
      else expect(fused.values.c).toBeNull();
      expect(Object.keys(fused.grads).sort()).toEqual(Object.keys(reference.grads).sort());
      for (const name of Object.keys(reference.grads)) {
        expectClose(`d${name}`, fused.grads[name], reference.grads[name], 1e-4);
      }
    });
  }
});
