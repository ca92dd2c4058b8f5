/** Writing the results of a run: a JSON file with the metrics, the timing and the machine it ran on. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { info } from '@recurrent/kernels';

/** Facts about the machine and the kernels, recorded next to every measured result. */
export function environment(): Record<string, unknown> {
  const kernels = info();
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    kernels: kernels.implementation,
    kernelThreads: kernels.threads,
    simd: kernels.simd,
    tfjs: kernels.tfjsVersion,
    date: new Date().toISOString(),
  };
}

/** Writes `value` as pretty JSON to outDir/file (creating outDir) and returns the path. */
export function writeJson(outDir: string, file: string, value: unknown): string {
  fs.mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, file);
  fs.writeFileSync(target, JSON.stringify(value, roundNumbers, 2) + '\n');
  return target;
}

/** Four significant digits are plenty in a results file and keep diffs readable. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(4)) : value;
}

/** A number with fixed decimals for log lines. */
export function fmt(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}
