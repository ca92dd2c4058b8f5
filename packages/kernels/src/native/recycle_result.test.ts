/**
 * recycleResult hands a pooled result's memory back at once: the array is detached first (it reads as
 * empty, so no reference reaches the reused memory), the next results of that size reuse the block
 * with correct values, arrays that are not whole pooled results are refused, and the finalizer that
 * Node runs later for the recycled array leaves the block's new owner alone (checked in a child
 * process that forces garbage collection, so a double free would crash it, not the test run).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { requireNative } from './__tests__/native_fixture';

const { addon } = requireNative();
const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

/** A product large enough (512 x 256 floats) to come from the pool of result buffers. */
function pooledProduct(value: number): Float32Array {
  return addon.gemm(512, 256, 1, new Float32Array(512).fill(value), new Float32Array(256).fill(1), false, false);
}

describe('recycleResult', () => {
  test('detaches a pooled result, whose block the next result of its size reuses with its own values', () => {
    const first = pooledProduct(2);
    expect(addon.recycleResult(first)).toBe(true);
    expect(first.length).toBe(0);
    const second = pooledProduct(3);
    expect(second.length).toBe(512 * 256);
    expect(second.every((v) => v === 3)).toBe(true);
    expect(addon.recycleResult(first)).toBe(false); // already recycled (and detached)
  });

  test('refuses what is not a whole pooled result', () => {
    expect(addon.recycleResult(new Float32Array(1 << 20))).toBe(false);
    const small = addon.gemm(2, 2, 1, new Float32Array(2), new Float32Array(2), false, false);
    expect(addon.recycleResult(small)).toBe(false);
    expect(small.length).toBe(4);
    const big = pooledProduct(1);
    expect(addon.recycleResult(big.subarray(8))).toBe(false);
    expect(big.length).toBe(512 * 256);
    expect(() => addon.recycleResult(new Int32Array(4) as unknown as Float32Array)).toThrow(/expected a Float32Array/);
  });

  test('the later finalizer of a recycled array leaves the reused block alone', () => {
    const script = `
      const addon = require(${JSON.stringify(require.resolve('node-gyp-build', { paths: [PACKAGE_DIR] }))})(${JSON.stringify(PACKAGE_DIR)});
      const product = (v) => addon.gemm(512, 256, 1, new Float32Array(512).fill(v), new Float32Array(256).fill(1), false, false);
      (async () => {
        const kept = [];
        for (let round = 0; round < 20; round++) {
          let old = product(round);
          addon.recycleResult(old);
          old = null;
          kept.push({ value: round + 0.5, array: product(round + 0.5) }); // may reuse the recycled block
          global.gc();
          await new Promise((resolve) => setImmediate(resolve)); // Node runs the finalizers here
          if (kept.length > 3) kept.shift();
          for (const k of kept) if (!k.array.every((x) => x === k.value)) throw new Error('a reused block was overwritten');
        }
        console.log('ok');
      })().catch((e) => { console.error(e.message); process.exit(1); });
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('ok');
  });
});
