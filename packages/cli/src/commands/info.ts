import * as os from 'os';
import { info } from '@recurrent/kernels';
import { Output } from '../output';
import { packageVersion } from '../package_version';

/** The facts `recurrent info` prints, also used in training reports. */
export function environmentFacts(): [string, string][] {
  const k = info();
  return [
    ['tfjs backend', k.backend],
    ['kernel implementation', k.implementation + (k.nativeError ? ` (native addon unavailable: ${k.nativeError})` : '')],
    ['threads', String(k.threads)],
    ['simd', k.simd],
    ['native cpu overrides', k.nativeCpuOverrides ? 'yes' : 'no'],
    ['faster tfjs cpu kernels', k.cpuKernelOverrides.length > 0 ? k.cpuKernelOverrides.join(', ') : 'none'],
    ['kernel backends', k.kernelBackends.join(', ')],
    ['tfjs', k.tfjsVersion],
    ['tfjs-node', k.tfjsNode ? 'loaded' : `not used${k.tfjsNodeError ? ` (${k.tfjsNodeError.split('\n')[0]})` : ''}`],
    ['@recurrent/cli', packageVersion('@recurrent/cli')],
    ['@recurrent/core', packageVersion('@recurrent/core')],
    ['@recurrent/kernels', packageVersion('@recurrent/kernels')],
    ['node', process.version],
    ['platform', `${os.platform()} ${os.arch()}, ${os.cpus().length} cpus`],
  ];
}

export function runInfo(options: { json?: boolean }, output: Output): void {
  const facts = environmentFacts();
  if (options.json) {
    output.out(JSON.stringify({ ...info(), versions: Object.fromEntries(facts.filter(([k]) => k.startsWith('@') || k === 'node')) }, null, 2) + '\n');
    return;
  }
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) output.out(`${k.padEnd(width)}  ${v}\n`);
}
