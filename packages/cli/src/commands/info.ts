import * as os from 'os';
import { info, type KernelsInfo } from '@recurrent/kernels';
import { Output } from '../output';
import { packageVersion } from '../package_version';

/** 'native (prebuild)', 'native (built from source)', or 'typescript' with the reason. */
function kernelImplementation(k: KernelsInfo): string {
  if (k.implementation === 'native') return `native (${k.implementationSource})`;
  return `typescript${k.nativeError ? ` (native addon unavailable: ${k.nativeError})` : ''}`;
}

function nativeAddonAbsence(k: KernelsInfo): string {
  if (k.nativeError?.includes('RECURRENT_KERNELS=typescript')) return 'not loaded (RECURRENT_KERNELS=typescript)';
  return 'none loaded (recurrent build-native builds it from source)';
}

/** The facts `recurrent info` prints, also used in training reports. */
export function environmentFacts(): [string, string][] {
  const k = info();
  return [
    ['tfjs backend', k.backend],
    ['kernel implementation', kernelImplementation(k)],
    ['native addon', k.nativeFile ?? nativeAddonAbsence(k)],
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
