// Median wall time in ms of `reps` calls of fn, after `warmup` untimed calls (for the timing scripts).
'use strict';

function medianMs(fn, reps, warmup = 3) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(reps / 2)];
}

module.exports = { medianMs };
