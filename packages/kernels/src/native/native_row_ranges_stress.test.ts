/**
 * The loops by batch rows under heavy rebalancing always finish, with one thread's bits. A lost request
 * between two threads would hang the process (a thread waits for an answer that never comes), and a hang
 * inside a native call cannot be interrupted by Jest: the calls run in a child process with a time limit,
 * so a hang fails this test instead of the whole run. Two, three and four threads on this machine's cores,
 * workers lagging 0-60 us before each step and every other call after the pool's workers went to sleep,
 * forward and backward, many calls.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

test('2,400 threaded forward and backward calls by rows, ranges taken over and split, finish with the bits of one thread', () => {
  const script = `
    const addon = require(${JSON.stringify(require.resolve('node-gyp-build', { paths: [PACKAGE_DIR] }))})(${JSON.stringify(PACKAGE_DIR)});
    const n = (k, s) => Float32Array.from({ length: k }, (_, i) => Math.sin(i * s) * 0.3);
    const B = 70, T = 6, F = 7, U = 24;
    const req = { cell: 'lstm', batch: B, time: T, features: F, units: U, activation: 'tanh', recurrentActivation: 'sigmoid',
      goBackwards: false, zeroOutputForMask: false, resetAfter: false, returnSequences: true, returnState: true, saveWorkspace: true,
      x: n(B * T * F, 0.37), kernel: n(F * 4 * U, 0.11), recurrentKernel: n(U * 4 * U, 0.13), bias: n(4 * U, 0.7),
      initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null };
    const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const run = () => {
      const f = addon.forward(...addon.requestFields.forward.map((k) => req[k]));
      const back = { ...req, workspace: f.workspace, dOutputs: n(B * T * U, 0.05), dH: n(B * U, 0.07), dC: n(B * U, 0.09),
        computeInputGradient: true };
      const g = addon.backward(...addon.requestFields.backward.map((k) => back[k]));
      return Buffer.concat([bytes(f.outputs), bytes(f.h), bytes(f.c), bytes(g.dx), bytes(g.dKernel), bytes(g.dRecurrentKernel), bytes(g.dBias)]);
    };
    addon.setThreads(1);
    const one = run();
    addon.setMinParallelWork(0);
    const before = addon.rowRangeCounts();
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 2400; i++) {
      addon.setThreads(2 + (i % 3));
      addon.setRowStepLag([0, 20, 60][i % 4 === 3 ? 0 : i % 3]);
      // Every other call after the workers have gone to sleep (300 us idle): they join late, while the caller may
      // already be taking over or splitting their ranges.
      if (i % 2 === 0) Atomics.wait(sleeper, 0, 0, 1);
      if (Buffer.compare(run(), one) !== 0) throw new Error('call ' + i + ' (' + (2 + (i % 3)) + ' threads): the bits differ from one thread');
    }
    addon.setRowStepLag(0);
    const after = addon.rowRangeCounts();
    console.log(JSON.stringify({ splits: after.splits - before.splits, takeovers: after.takeovers - before.takeovers }));
  `;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  if (child.error) throw new Error(`the calls did not finish within 60 s (a thread waiting forever?): ${child.error.message}`);
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  const counts = JSON.parse(child.stdout.trim());
  expect(counts.splits).toBeGreaterThan(100); // the rebalancing ran, many times
});
