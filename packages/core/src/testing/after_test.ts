/**
 * Checks that cannot finish inside a synchronous test (tf.loadLayersModel is asynchronous) are queued
 * here and awaited by an `afterEach` hook that importing this module registers: a failure fails the test
 * that queued the check (Jest reports an afterEach error against its test). `finishLayerTests()` runs
 * the queue on demand, for a test that wants the outcome itself.
 */

const queued: (() => Promise<void>)[] = [];

/** Queues `check` to run when the current test ends (or at the next `finishLayerTests()`). */
export function checkAfterTest(check: () => Promise<void>): void {
  queued.push(check);
}

/** Runs every queued check, then rejects with all their failures if any failed. */
export async function finishLayerTests(): Promise<void> {
  const failures: string[] = [];
  for (const check of queued.splice(0)) {
    try {
      await check();
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

if (typeof afterEach === 'function') afterEach(finishLayerTests);
