#!/usr/bin/env node
/**
 * Whether this machine's cores slow down one at a time (not a test): one child process per CPU, each held
 * on its CPU with `taskset`, times the SIMD arithmetic loop of bench/machine_noise.js in windows of about
 * 200 ms for the given seconds, all at once. Reported: per CPU, the windows whose median loop ran more
 * than 1.2x its fastest window's median, and how many of those saw every other CPU at full speed.
 *
 * On a virtual machine whose physical cores are shared with a neighbour's work, vector multiply-adds slow
 * down on one core at a time: a threaded call split evenly between the cores then waits for the slow one,
 * which is why the kernels' small-weight row blocks are handed out in turn (native/README.md).
 *
 *   node bench/core_speed.js [seconds]      (default 20; Linux, needs taskset from util-linux)
 */
'use strict';
const os = require('os');
const { spawn, spawnSync } = require('child_process');
const { simdArithmetic, calibratedIterations } = require('./machine_noise');

const WINDOW_MS = 200;
const SLOW = 1.2;

/** The child: { at, median } per window (at = window start, ms since the epoch), as JSON on stdout. */
function runChild(seconds, startAt) {
  const iterations = calibratedIterations(simdArithmetic, 1); // one run: about 1 ms
  while (Date.now() < startAt); // every child starts its windows at the same moment
  const windows = [];
  const end = startAt + seconds * 1000;
  while (Date.now() < end) {
    const at = Date.now();
    const times = [];
    while (Date.now() - at < WINDOW_MS) {
      const t0 = performance.now();
      simdArithmetic(iterations);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    windows.push({ at, median: times[times.length >> 1] });
  }
  process.stdout.write(JSON.stringify(windows));
}

function collect(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`a child exited with ${code}: ${err}`))));
  });
}

async function main() {
  if (process.argv[2] === '--child') return runChild(Number(process.argv[3]), Number(process.argv[4]));
  const seconds = Number(process.argv[2] ?? 20);
  if (!(seconds > 0 && seconds <= 3600)) throw new Error(`core_speed.js: seconds must be a number in (0, 3600], got '${process.argv[2]}'`);
  if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) throw new Error('core_speed.js needs taskset (util-linux) on Linux');
  const cpus = os.cpus().length;
  const startAt = Date.now() + 1500;
  const perCpu = await Promise.all(Array.from({ length: cpus }, (_, cpu) =>
    collect(spawn('taskset', ['-c', String(cpu), process.execPath, __filename, '--child', String(seconds), String(startAt)]))));
  const { windows, cpus: rows } = slowWindows(perCpu);
  console.log(`# core speed: the SIMD loop of bench/machine_noise.js on each of ${cpus} CPUs at once, ${windows} windows of ${WINDOW_MS} ms`);
  rows.forEach((r, cpu) => console.log(`cpu ${cpu}: ${r.slow} of ${windows} windows above ${SLOW}x its fastest (worst ${r.worst.toFixed(2)}x), ` +
    `${r.alone} of them with every other CPU at full speed`));
}

/**
 * From each CPU's windows ({ median } each; window i of every CPU started at the same moment, give or take
 * one loop run): per CPU, how many windows ran above `threshold` times its fastest window, how many of
 * those saw every other CPU at full speed, and its slowest window against its fastest.
 */
function slowWindows(perCpu, threshold = SLOW) {
  const windows = Math.min(...perCpu.map((w) => w.length));
  const fastest = perCpu.map((w) => Math.min(...w.slice(0, windows).map((x) => x.median)));
  const slow = perCpu.map((w, cpu) => w.slice(0, windows).map((x) => x.median / fastest[cpu] > threshold));
  const cpus = slow.map((mine, cpu) => {
    const at = mine.map((s, i) => (s ? i : -1)).filter((i) => i >= 0);
    return {
      slow: at.length,
      alone: at.filter((i) => slow.every((other, c) => c === cpu || !other[i])).length,
      worst: Math.max(...perCpu[cpu].slice(0, windows).map((x) => x.median)) / fastest[cpu],
    };
  });
  return { windows, cpus };
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}

module.exports = { slowWindows };
