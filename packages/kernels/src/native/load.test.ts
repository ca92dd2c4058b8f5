/**
 * loadNative(): the addon loads (the install builds it), is memoised, says where it came from, and
 * RECURRENT_KERNELS=typescript turns it off.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
    expect(info.version).toBe(12);
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

  test('in the repository it is the build from source, build/Release', () => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(`the native addon did not load: ${load.error}`);
    expect(load.source).toBe('built from source');
    expect(load.file).toBe(path.resolve(__dirname, '..', '..', 'build', 'Release', 'recurrent_kernels.node'));
  });

  test('a binary from a prebuilds/<platform>-<arch> folder is reported as the prebuild; none found is a one-line reason', () => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(`the native addon did not load: ${load.error}`);
    // node-gyp-build looks in <NAME>_PREBUILD instead of the package folder when it is set.
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-prebuild-'));
    const variable = '@RECURRENT/KERNELS_PREBUILD';
    try {
      process.env[variable] = elsewhere;
      const missing = isolatedLoad(undefined);
      expect(missing.ok).toBe(false);
      if (!missing.ok) expect(missing.error).toMatch(/^No native build was found for platform=\S+ arch=\S+ .*libc=\S+ node=\S+$/);
      const prebuilt = path.join(elsewhere, 'prebuilds', `${os.platform()}-${os.arch()}`, 'recurrent_kernels.napi.node');
      fs.mkdirSync(path.dirname(prebuilt), { recursive: true });
      fs.copyFileSync(load.file, prebuilt);
      const found = isolatedLoad(undefined);
      if (!found.ok) throw new Error(`the copied binary did not load: ${found.error}`);
      expect(found.source).toBe('prebuild');
      expect(found.file).toBe(prebuilt);
    } finally {
      delete process.env[variable];
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
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
