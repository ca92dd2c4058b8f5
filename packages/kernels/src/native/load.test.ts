/** loadNative(): the addon loads (the install builds it), is memoised, and RECURRENT_KERNELS=typescript turns it off. */
import { loadNative, loadNativeAddon, type NativeLoad } from './load';

function isolatedLoad(env: string | undefined): NativeLoad {
  const saved = process.env.RECURRENT_KERNELS;
  if (env === undefined) delete process.env.RECURRENT_KERNELS;
  else process.env.RECURRENT_KERNELS = env;
  try {
    let result: NativeLoad | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      result = (require('./load') as typeof import('./load')).loadNative();
    });
    return result!;
  } finally {
    if (saved === undefined) delete process.env.RECURRENT_KERNELS;
    else process.env.RECURRENT_KERNELS = saved;
  }
}

describe('loadNative', () => {
  test('loads the addon with a working implementation', () => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(`the native addon did not load: ${load.error}`);
    expect(load.impl.name).toBe('native');
    const info = load.addon.info();
    expect(info.version).toBe(3);
    expect(info.supported).toContain('scalar');
    expect(info.supported).toContain(info.simd);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(loadNativeAddon()).toBe(load);
  });

  test('RECURRENT_KERNELS=typescript disables it without throwing', () => {
    const load = isolatedLoad('typescript');
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.error).toMatch(/RECURRENT_KERNELS=typescript/);
    expect(isolatedLoad('TypeScript').ok).toBe(false);
  });

  test('loads by default and with RECURRENT_KERNELS=native', () => {
    expect(isolatedLoad(undefined).ok).toBe(true);
    expect(isolatedLoad('native').ok).toBe(true);
  });

  test('loadNative honours the variable at call time', () => {
    const saved = process.env.RECURRENT_KERNELS;
    process.env.RECURRENT_KERNELS = 'typescript';
    try {
      expect(loadNative().ok).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.RECURRENT_KERNELS;
      else process.env.RECURRENT_KERNELS = saved;
    }
  });
});
