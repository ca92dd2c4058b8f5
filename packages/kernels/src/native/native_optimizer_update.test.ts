/**
 * The addon's optimizerUpdate: each rule on a hand-checked element, fresh result arrays (the inputs
 * are only read; large results come from the result pool), every bad argument refused with an error
 * naming it before any memory is touched; and the optimizerUpdate wrapper, which answers null (the
 * JavaScript loop runs) under the TypeScript kernels, for small arrays and for scalars the addon refuses.
 * Bit-for-bit parity with the rules' JavaScript loops is tested with the optimizers in @recurrent/core
 * (training/optimizers/native_update.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setImplementation } from '../backend/implementation_choice';
import { MIN_NATIVE_OPTIMIZER_WEIGHTS, optimizerUpdate, type OptimizerUpdateResult } from '../ops/optimizer_update';
import type { NativeOptimizerRule } from './addon_types';
import { requireNative } from './__tests__/native_fixture';

const { addon } = requireNative();

const f32 = (...values: number[]) => Float32Array.from(values);
const f64 = (...values: number[]) => Float64Array.from(values);

describe('optimizerUpdate in the addon', () => {
  test('each rule computes its formula, in fresh arrays, the inputs unchanged', () => {
    const g = f32(0.5, -2, 0);
    const w = f32(1, 2, -0);
    const adam = addon.optimizerUpdate('adam', g, w, f32(0.1, 0, 0), f32(0.2, 0, 0), f64(2, 0, 0.01, 0.9, 0.999, 1e-7));
    // g * scale = 1: m = 0.1 + 0.9 * 0.1, v = 0.2 + 0.8 * 0.001, w = 1 - 0.01 * m / (sqrt(v) + 1e-7)
    const m = 0.1 + (1 - 0.1) * (1 - 0.9);
    const v = 0.2 + (1 - 0.2) * (1 - 0.999);
    expect(adam.momentum![0]).toBe(Math.fround(m));
    expect(adam.velocity![0]).toBe(Math.fround(v));
    expect(adam.weights[0]).toBe(Math.fround(1 - (0.01 * m) / (Math.sqrt(v) + 1e-7)));
    expect(Object.is(adam.weights[2], -0)).toBe(true);
    expect(adam.weights).not.toBe(w);
    expect(w).toEqual(f32(1, 2, -0));

    const rms = addon.optimizerUpdate('rmsprop', g, w, f32(1, 1, 1), null, f64(1, 0.5, 0.1, 0.9, 1e-7));
    const rv = 0.9 * 1 + 0.1 * 0.5 * 0.5;
    expect(rms.velocity![0]).toBe(Math.fround(rv));
    expect(rms.weights[0]).toBe(Math.fround(1 - 1 * 0.5 - (0.1 * 0.5) / Math.sqrt(rv + 1e-7)));

    const ada = addon.optimizerUpdate('adagrad', g, w, f32(0.1, 0.1, 0.1), null, f64(1, 0, 0.1, 1e-7));
    expect(ada.accumulator![1]).toBe(Math.fround(0.1 + 4));
    expect(ada.weights[1]).toBe(Math.fround(2 - (0.1 * -2) / Math.sqrt(Math.fround(0.1) + 4 + 1e-7)));

    expect(addon.optimizerUpdate('sgd', g, w, null, null, f64(1, 0, 0.1)).weights[1]).toBe(Math.fround(2.2));
    const mom = addon.optimizerUpdate('sgd_momentum', g, w, f32(1, 1, 1), null, f64(1, 0, 0.1, 0.5));
    expect(mom.momentum![0]).toBe(Math.fround(0.5 - 0.05));
    expect(mom.weights[0]).toBe(Math.fround(1 + (0.5 - 0.05)));
    const nesterov = addon.optimizerUpdate('sgd_nesterov', g, w, f32(1, 1, 1), null, f64(1, 0, 0.1, 0.5));
    expect(nesterov.weights[0]).toBe(Math.fround(1 + (0.5 * (0.5 - 0.05) - 0.05)));
  });

  test('large results come from the result pool, and empty arrays give empty results', () => {
    const n = 1 << 17;
    const result = addon.optimizerUpdate('sgd', new Float32Array(n).fill(1), new Float32Array(n), null, null, f64(1, 0, 1));
    expect(result.weights.every((x) => x === -1)).toBe(true);
    expect(addon.recycleResult(result.weights)).toBe(true);
    expect(addon.optimizerUpdate('adam', f32(), f32(), f32(), f32(), f64(1, 0, 1, 0.9, 0.999, 1e-7)).weights.length).toBe(0);
  });

  const adamScalars = () => f64(1, 0, 0.001, 0.9, 0.999, 1e-7);
  const call = (...args: unknown[]) => () => (addon.optimizerUpdate as (...a: unknown[]) => unknown)(...args);

  test('unknown rules and wrong array types or lengths are named', () => {
    const a = f32(1, 2, 3);
    expect(call('adamax', a, a, a, a, adamScalars())).toThrow(/^rule: unknown optimizer rule 'adamax'; expected one of adam, rmsprop, adagrad, sgd, sgd_momentum, sgd_nesterov$/);
    expect(call('adam', a, a, a, a)).toThrow(/^optimizerUpdate: expected \(rule, gradient, weights, slot0, slot1, scalars\)$/);
    expect(call(1, a, a, a, a, adamScalars())).toThrow(/^rule: expected a string$/);
    expect(call('adam', a, [1, 2, 3], a, a, adamScalars())).toThrow(/^weights: expected a Float32Array$/);
    expect(call('adam', f32(1), a, a, a, adamScalars())).toThrow(/^gradient: expected 3 = 3 floats, got 1$/);
    expect(call('adam', new Float64Array(3), a, a, a, adamScalars())).toThrow(/^gradient: expected a Float32Array of 3 = 3 floats, got Float64Array$/);
    expect(call('adam', a, a, f32(1, 2), a, adamScalars())).toThrow(/^momentum: expected 3 = 3 floats, got 2$/);
    expect(call('adam', a, a, a, null, adamScalars())).toThrow(/^velocity: expected a Float32Array of 3 = 3 floats, got null$/);
    expect(call('sgd', a, a, a, null, f64(1, 0, 1))).toThrow(/^slot0: the rule 'sgd' keeps 0 slot\(s\); pass null$/);
    expect(call('rmsprop', a, a, a, a, f64(1, 0, 1, 0.9, 1e-7))).toThrow(/^slot1: the rule 'rmsprop' keeps 1 slot\(s\); pass null$/);
  });

  test('arrays over shared or detached buffers are refused', () => {
    const shared = new Float32Array(new SharedArrayBuffer(12));
    const a = f32(1, 2, 3);
    expect(call('sgd', shared, a, null, null, f64(1, 0, 1))).toThrow(/^gradient: arrays over a SharedArrayBuffer are not accepted/);
    const detached = f32(1, 2, 3);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(call('sgd', a, detached, null, null, f64(1, 0, 1))).toThrow(/^weights: the array's buffer is detached$/);
  });

  test.each([
    ['adam', 'seven scalars', [1, 0, 0.001, 0.9, 0.999, 1e-7, 0], /^scalars: expected a Float64Array of 6 numbers \(gradientScale, decay, stepSize, beta1, beta2, epsilon\), got 7$/],
    ['adam', 'a NaN step size', [1, 0, NaN, 0.9, 0.999, 1e-7], /^scalars: stepSize must be a finite number, got nan$/],
    ['adam', 'beta1 1', [1, 0, 0.001, 1, 0.999, 1e-7], /^scalars: beta1 must be a number in \[0, 1\), got 1$/],
    ['adam', 'an infinite decay', [1, Infinity, 0.001, 0.9, 0.999, 1e-7], /^scalars: decay must be a finite number, got inf$/],
    ['rmsprop', 'a negative rho', [1, 0, 0.1, -0.5, 1e-7], /^scalars: rho must be a number in \[0, 1\), got -0.5$/],
    ['adagrad', 'an infinite epsilon', [1, 0, 0.1, Infinity], /^scalars: epsilon must be a finite number, got inf$/],
    ['sgd_momentum', 'momentum 0', [1, 0, 0.1, 0], /^scalars: momentum must be a number in \(0, 1\], got 0$/],
  ] as Array<[NativeOptimizerRule, string, number[], RegExp]>)('%s refuses %s', (rule, _label, scalars, message) => {
    const a = f32(1, 2, 3);
    const slots = rule === 'adam' ? [a, a] : [a, null];
    expect(call(rule, a, a, slots[0], slots[1], Float64Array.from(scalars))).toThrow(message);
  });

  test('scalars must be a Float64Array; any gradient scale is taken (NaN carries into the results)', () => {
    const a = f32(1, 2, 3);
    expect(call('sgd', a, a, null, null, [1, 0, 1])).toThrow(/^scalars: expected a Float64Array of 3 numbers \(gradientScale, decay, learningRate\)$/);
    expect(addon.optimizerUpdate('sgd', a, a, null, null, f64(NaN, 0, 1)).weights.every(Number.isNaN)).toBe(true);
  });
});

describe('the optimizerUpdate wrapper', () => {
  const n = MIN_NATIVE_OPTIMIZER_WEIGHTS;
  const args = () =>
    [new Float32Array(n).fill(1), new Float32Array(n), { momentum: new Float32Array(n).fill(1) }] as const;
  afterAll(() => setImplementation('native'));

  test('runs the addon for large enough arrays, Nesterov by its flag', () => {
    setImplementation('native');
    const plain = optimizerUpdate('sgdMomentum', ...args(), { gradientScale: 1, decay: 0, learningRate: 0.1, momentum: 0.5, nesterov: false });
    const nesterov = optimizerUpdate('sgdMomentum', ...args(), { gradientScale: 1, decay: 0, learningRate: 0.1, momentum: 0.5, nesterov: true });
    expect(plain!.slots.momentum[0]).toBe(Math.fround(0.4));
    expect(plain!.weights[0]).toBe(Math.fround(0.4));
    expect(nesterov!.weights[0]).toBe(Math.fround(0.5 * 0.4 - 0.1));
  });

  test('answers null under the TypeScript kernels, for small arrays and for non-finite scalars', () => {
    const scalars = { gradientScale: 1, decay: 0, learningRate: 0.1, momentum: 0.5, nesterov: false };
    setImplementation('typescript');
    expect(optimizerUpdate('sgdMomentum', ...args(), scalars)).toBeNull();
    setImplementation('native');
    const small = f32(1);
    expect(optimizerUpdate('sgdMomentum', small, small, { momentum: small }, scalars)).toBeNull();
    expect(optimizerUpdate('sgdMomentum', ...args(), { ...scalars, learningRate: Infinity })).toBeNull();
    expect(optimizerUpdate('sgdMomentum', ...args(), { ...scalars, gradientScale: NaN })).not.toBeNull();
  });

  /** optimizerUpdate('sgdMomentum') from a fresh module registry, loaded and called with these environment variables. */
  function isolatedUpdate(env: Record<string, string>): OptimizerUpdateResult<'sgdMomentum'> | null {
    const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      let result: OptimizerUpdateResult<'sgdMomentum'> | null | undefined;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../ops/optimizer_update') as typeof import('../ops/optimizer_update');
        result = fresh.optimizerUpdate('sgdMomentum', ...args(), { gradientScale: 1, decay: 0, learningRate: 0.1, momentum: 0.5, nesterov: false });
      });
      return result!;
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  test('answers null with RECURRENT_KERNELS=typescript and when the addon does not load', () => {
    expect(isolatedUpdate({ RECURRENT_KERNELS: 'typescript' })).toBeNull();
    // node-gyp-build looks in <NAME>_PREBUILD instead of the package folder when it is set: an empty folder has no addon.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-no-addon-'));
    try {
      expect(isolatedUpdate({ '@RECURRENT/KERNELS_PREBUILD': empty, RECURRENT_KERNELS: '' })).toBeNull();
      // The same registry with the addon found runs it (so the nulls above are the fallback's).
      expect(isolatedUpdate({ RECURRENT_KERNELS: 'native' })).not.toBeNull();
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
