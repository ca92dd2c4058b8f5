/**
 * Crafted requests at the addon's boundary, each in a child process (a crash must fail the test, not
 * end the test run): property getters that resize or detach a buffer, shared and resizable
 * buffers, and requests whose sizes ask for more memory than a call may use. The child reads each
 * request's fields once, in the addon's argument order, as the adapter (native_implementation.ts)
 * does. Every case ends in a clean JavaScript error (or a correct empty result), with exit code 0.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { requireNative } from './__tests__/native_fixture';
import { randomRequest } from './__tests__/random_requests';

const { impl } = requireNative(); // the addon must have been built for these tests to mean anything

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

/** Runs `body` in a fresh node process with `addon` in scope; returns the JSON it prints and the exit status. */
function inChild(body: string, env: Record<string, string> = {}): { status: number | null; signal: string | null; result: unknown } {
  const script = `
    const native = require(${JSON.stringify(require.resolve('node-gyp-build', { paths: [PACKAGE_DIR] }))})(${JSON.stringify(PACKAGE_DIR)});
    // The limit as the loader hands it to the addon (from RECURRENT_MEMORY_LIMIT or setMemoryLimit()).
    if (process.env.LIMIT_MB) native.setMemoryLimit(Number(process.env.LIMIT_MB) * 2 ** 20);
    const fieldsOf = (req, names) => names.map((name) => req[name]);
    const addon = {
      forward: (req) => native.forward(...fieldsOf(req, native.requestFields.forward)),
      backward: (req) => native.backward(...fieldsOf(req, native.requestFields.backward)),
      gemm: native.gemm,
      workspaceSize: native.workspaceSize,
    };
    const lstm = (B, T, F, U) => ({
      cell: 'lstm', batch: B, time: T, features: F, units: U, activation: 'tanh', recurrentActivation: 'sigmoid',
      goBackwards: false, zeroOutputForMask: false, resetAfter: true,
      x: new Float32Array(B * T * F), kernel: new Float32Array(F * 4 * U), recurrentKernel: new Float32Array(U * 4 * U),
      bias: null, initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null,
    });
    const report = (fn) => {
      try {
        const value = fn();
        console.log(JSON.stringify({ ok: true, value }));
      } catch (e) {
        console.log(JSON.stringify({ ok: false, name: e.name, message: e.message }));
      }
    };
    ${body}
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000 });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return { status: run.status, signal: run.signal, result: last.startsWith('{') ? JSON.parse(last) : { stdout: run.stdout, stderr: run.stderr } };
}

function expectCleanError(run: ReturnType<typeof inChild>, message: RegExp): void {
  expect(run.signal).toBeNull();
  expect(run.status).toBe(0);
  expect(run.result).toMatchObject({ ok: false });
  expect((run.result as { message: string }).message).toMatch(message);
}

describe('buffers the addon reads cannot change under it', () => {
  test('a getter that shrinks x (resizable) while the request is read', () => {
    const run = inChild(`
      const req = lstm(64, 200, 128, 64);
      const buffer = new ArrayBuffer(req.x.byteLength, { maxByteLength: req.x.byteLength });
      req.x = new Float32Array(buffer);
      const kernel = req.kernel;
      Object.defineProperty(req, 'kernel', { get() { buffer.resize(0); return kernel; } });
      report(() => addon.forward(req));
    `);
    expectCleanError(run, /^x: arrays over a resizable ArrayBuffer are not accepted/);
  });

  test.each(['mask', 'recurrentDropoutMask'])('a getter of %s that detaches x after x was read', (field) => {
    const run = inChild(`
      const req = lstm(64, 200, 128, 64);
      const x = req.x;
      Object.defineProperty(req, '${field}', { get() { structuredClone(x.buffer, { transfer: [x.buffer] }); return null; } });
      report(() => addon.forward(req));
    `);
    expectCleanError(run, /^x: the array's buffer is detached/);
  });

  test('a getter that detaches the workspace during a backward request', () => {
    const run = inChild(`
      const req = lstm(8, 50, 16, 32);
      const workspace = Float32Array.from(addon.forward(req).workspace);
      const back = { ...req, workspace, dOutputs: null, dH: null, dC: null };
      Object.defineProperty(back, 'computeInputGradient', { get() { structuredClone(workspace.buffer, { transfer: [workspace.buffer] }); return true; } });
      report(() => addon.backward(back));
    `);
    expectCleanError(run, /^workspace: the array's buffer is detached/);
  });

  test('getters run once each: a field cannot change between its check and its use', () => {
    const run = inChild(`
      const req = lstm(2, 3, 4, 5);
      let reads = 0;
      const good = req.recurrentKernel;
      Object.defineProperty(req, 'recurrentKernel', { get() { reads++; return reads === 1 ? good : new Float32Array(1); } });
      report(() => { const r = addon.forward(req); return { reads, outputs: r.outputs.length }; });
    `);
    expect(run.status).toBe(0);
    expect(run.result).toEqual({ ok: true, value: { reads: 1, outputs: 2 * 3 * 5 } });
  });

  test('a SharedArrayBuffer is refused (another thread could write it during the call)', () => {
    const run = inChild(`
      const req = lstm(2, 3, 4, 5);
      req.initialH = new Float32Array(new SharedArrayBuffer(2 * 5 * 4));
      report(() => addon.forward(req));
    `);
    expectCleanError(run, /^initialH: arrays over a SharedArrayBuffer are not accepted/);
  });

  test('gemm refuses a resizable output array', () => {
    const run = inChild(`
      const out = new Float32Array(new ArrayBuffer(24, { maxByteLength: 48 }));
      report(() => addon.gemm(2, 3, 4, new Float32Array(8), new Float32Array(12), false, false, out));
    `);
    expectCleanError(run, /^out: arrays over a resizable ArrayBuffer are not accepted/);
  });
});

describe('through the adapter, in this process', () => {
  test('a resizable or shared array is refused with the same error', () => {
    const req = randomRequest({ cell: 'gru', batch: 2, time: 3, features: 4, units: 5 });
    // (ES2024's resizable ArrayBuffer, which the TypeScript library of this project does not declare.)
    const ResizableArrayBuffer = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ArrayBuffer;
    const resizable = new Float32Array(new ResizableArrayBuffer(req.x.byteLength, { maxByteLength: 2 * req.x.byteLength }));
    expect(() => impl.forward({ ...req, x: resizable })).toThrow(/^x: arrays over a resizable ArrayBuffer are not accepted/);
    const shared = new Float32Array(new SharedArrayBuffer(req.kernel.byteLength));
    expect(() => impl.forward({ ...req, kernel: shared })).toThrow(/^kernel: arrays over a SharedArrayBuffer are not accepted/);
  });

  test('each field of the request is read once', () => {
    const req = randomRequest({ cell: 'lstm', batch: 2, time: 3, features: 4, units: 5 });
    const reads = new Map<string, number>();
    const counted = new Proxy(req, {
      get(target, key, receiver) {
        reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
        return Reflect.get(target, key, receiver);
      },
    });
    impl.forward(counted);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    expect([...reads.keys()].sort()).toEqual(Object.keys(req).concat('returnSequences', 'returnState', 'saveWorkspace').sort());
  });
});

describe('memory a call may use is checked before it is allocated', () => {
  test('batch 0 with time 2^31-1 returns its empty result at once', () => {
    const run = inChild(`
      const started = Date.now();
      report(() => {
        const r = addon.forward(lstm(0, 2147483647, 3, 4));
        return { outputs: r.outputs.length, h: r.h.length, workspace: r.workspace.length, quick: Date.now() - started < 5000 };
      });
    `);
    expect(run.status).toBe(0);
    expect(run.result).toEqual({ ok: true, value: { outputs: 0, h: 0, workspace: 0, quick: true } });
  });

  test('a backward whose results exceed the limit is refused', () => {
    // batch 0, time 2^31-1: 8 GB of per-step gradient norms.
    const run = inChild(`
      const req = lstm(0, 2147483647, 3, 4);
      report(() => addon.backward({ ...req, workspace: new Float32Array(0), dOutputs: null, dH: null, dC: null }));
    `, { LIMIT_MB: '64' });
    expectCleanError(run, /needs more than 8192 MB of memory, above the limit of 64 MB .*RECURRENT_MEMORY_LIMIT \/ setMemoryLimit\(\)/);
    expect((run.result as { name: string }).name).toBe('RangeError');
  });

  test('a forward whose results exceed the limit is refused', () => {
    // No features, so x is empty, but the workspace of 2^26 steps of an LSTM(8) takes 12 GB.
    const run = inChild(`
      report(() => addon.forward(lstm(1, 1 << 26, 0, 8)));
    `, { LIMIT_MB: '64' });
    expectCleanError(run, /above the limit of 64 MB/);
  });

  test('a backward whose scratch exceeds the limit is refused before allocating it', () => {
    // The gate gradients of 2^18 steps of an LSTM(8) take 32 MB of scratch; the results are small.
    const run = inChild(`
      const req = lstm(1, 1 << 18, 0, 8);
      const workspace = new Float32Array(addon.workspaceSize('lstm', 1, 1 << 18, 0, 8, true));
      report(() => addon.backward({ ...req, workspace, dOutputs: null, dH: null, dC: null }));
    `, { LIMIT_MB: '16' });
    expectCleanError(run, /above the limit of 16 MB/);
  });

  test('under the limit the same addon computes as usual', () => {
    const run = inChild(`
      report(() => addon.forward(lstm(4, 10, 3, 8)).outputs.length);
    `, { LIMIT_MB: '64' });
    expect(run.result).toEqual({ ok: true, value: 4 * 10 * 8 });
  });
});
