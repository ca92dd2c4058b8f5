// Which kernels run: the native addon or the TypeScript kernels, with threads and SIMD level.
import { info, setImplementation } from '@recurrent/kernels';

export function main(): ReturnType<typeof info> {
  const facts = info();
  console.log(`kernels: ${facts.implementation} (threads ${facts.threads}, simd ${facts.simd}), tfjs ${facts.tfjsVersion}`);
  if (facts.nativeError !== null) console.log(`native addon not loaded: ${facts.nativeError}`);

  // Force the TypeScript kernels for this process (same results; the environment variable
  // RECURRENT_KERNELS=typescript does the same at start-up). Back to native if it loaded.
  setImplementation('typescript');
  console.log(`now: ${info().implementation}`);
  if (facts.implementation === 'native') setImplementation('native');
  return facts;
}

if (require.main === module) main();
