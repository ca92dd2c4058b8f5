/**
 * The implementations the tests must cover. The install builds the native addon, so it is always
 * tested, and a test that needs it fails (loudly, with the load error) when it cannot load; only an
 * explicit RECURRENT_KERNELS=typescript restricts the tests to the TypeScript kernels.
 */
export function implementationsUnderTest(): Array<'native' | 'typescript'> {
  if ((process.env.RECURRENT_KERNELS ?? '').trim().toLowerCase() === 'typescript') return ['typescript'];
  return ['typescript', 'native'];
}
