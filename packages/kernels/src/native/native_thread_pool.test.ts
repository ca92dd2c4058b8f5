/**
 * The pool's CPU placement (native/thread_pool.cc). A worker woken after it slept is steered off the
 * caller's CPU for its wake-up only: it must get every CPU back as it joins, so no thread of the process
 * is left narrowed. A process allowed a single CPU has nowhere to steer to: its threaded calls still run,
 * with the bits of one thread. (Linux only: elsewhere the pool does not touch placement.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { randomRequest } from './__tests__/random_requests';
import { requireNative, withThreadedSteps, withThreads } from './__tests__/native_fixture';
import { sameBits } from './__tests__/step_requests';

const { impl, addon } = requireNative();
const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

/** Blocks this thread for `ms` milliseconds without running the event loop (the pool's workers go to sleep). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Each thread of this process -> the CPUs it may run on, as /proc lists them. */
function threadCpus(): Map<string, string> {
  const cpus = new Map<string, string>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const status = fs.readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      const line = status.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
      if (line) cpus.set(tid, line.split(':')[1].trim());
    } catch {
      // the thread ended meanwhile
    }
  }
  return cpus;
}

const describeLinux = process.platform === 'linux' ? describe : describe.skip;

describeLinux('the thread pool on Linux', () => {
  test('after calls that woke sleeping workers, every thread may run on every CPU again', () => {
    const all = threadCpus().get(String(process.pid));
    expect(all).toBeDefined();
    const req = randomRequest({ cell: 'lstm', batch: 1, time: 12, features: 9, units: 64, seed: 41 });
    withThreads(addon, 2, () => withThreadedSteps(addon, () => {
      const first = impl.forward(req).outputs.slice();
      for (let i = 0; i < 5; i++) {
        sleepSync(5); // far past the workers' idle spin: they sleep, and the next call wakes (and steers) them
        expect(sameBits(impl.forward(req).outputs, first)).toBe(true);
      }
    }));
    // A worker gets its CPUs back as it takes the job; give one that is still waking a moment.
    let narrowed: string[] = [];
    for (let attempt = 0; attempt < 200; attempt++) {
      narrowed = [...threadCpus()].filter(([, cpus]) => cpus !== all).map(([tid, cpus]) => `thread ${tid}: ${cpus}`);
      if (narrowed.length === 0) break;
      sleepSync(5);
    }
    expect(narrowed).toEqual([]);
  });

  test('a process allowed one CPU runs threaded calls with the bits of one thread', () => {
    const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((p) => fs.existsSync(p));
    expect(taskset).toBeDefined(); // util-linux, present wherever this suite runs
    const script = `
      const addon = require(${JSON.stringify(require.resolve('node-gyp-build', { paths: [PACKAGE_DIR] }))})(${JSON.stringify(PACKAGE_DIR)});
      const n = (k, s) => Float32Array.from({ length: k }, (_, i) => Math.sin(i * s) * 0.3);
      const F = 9, U = 64, T = 12;
      const req = { cell: 'lstm', batch: 1, time: T, features: F, units: U, activation: 'tanh', recurrentActivation: 'sigmoid',
        goBackwards: false, zeroOutputForMask: false, resetAfter: false, returnSequences: true, returnState: false, saveWorkspace: false,
        x: n(T * F, 0.37), kernel: n(F * 4 * U, 0.11), recurrentKernel: n(U * 4 * U, 0.13), bias: n(4 * U, 0.7),
        initialH: null, initialC: null, mask: null, inputDropoutMask: null, recurrentDropoutMask: null };
      const run = () => addon.forward(...addon.requestFields.forward.map((f) => req[f])).outputs;
      addon.setThreads(1);
      const one = run();
      addon.setThreads(2);
      addon.setMinParallelWork(0);
      for (let i = 0; i < 5; i++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        const two = run();
        if (Buffer.compare(Buffer.from(two.buffer, two.byteOffset, two.byteLength), Buffer.from(one.buffer, one.byteOffset, one.byteLength)) !== 0) throw new Error('threaded bits differ');
      }
      console.log('ok');
    `;
    const run = spawnSync(taskset as string, ['-c', '0', process.execPath, '-e', script], { encoding: 'utf8', timeout: 60000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('ok');
  });
});
