/**
 * The automatic choice falls back to the TypeScript kernels when the addon does not load, and the first
 * kernel call then says so in one line (why, and how to build the addon); an explicit choice is silent.
 * The addon's loader is replaced by one that fails, as on a platform without a prebuilt binary.
 */
import type { NativeLoad } from '../native/load';

const FAILED_LOAD: NativeLoad = { ok: false, error: 'No native build was found for platform=testland arch=x64' };

type Choice = typeof import('./implementation_choice');

/** Runs `body` on a fresh copy of the module whose addon never loads; returns the notices printed. */
function withFailingAddon(env: string | undefined, body: (choice: Choice) => void): string[] {
  const saved = process.env.RECURRENT_KERNELS;
  if (env === undefined) delete process.env.RECURRENT_KERNELS;
  else process.env.RECURRENT_KERNELS = env;
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    jest.isolateModules(() => {
      jest.doMock('../native/load', () => ({
        ...jest.requireActual('../native/load'),
        loadNative: () => FAILED_LOAD,
        loadNativeAddon: () => FAILED_LOAD,
      }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      body(require('./implementation_choice') as Choice);
    });
    // (A fresh module registry also loads tfjs again, which warns about its own kernels: not ours.)
    return warn.mock.calls.map((args) => args.map(String).join(' ')).filter((line) => line.startsWith('[recurrent]'));
  } finally {
    warn.mockRestore();
    jest.dontMock('../native/load');
    if (saved === undefined) delete process.env.RECURRENT_KERNELS;
    else process.env.RECURRENT_KERNELS = saved;
  }
}

describe('the TypeScript fallback notice', () => {
  test('the first kernel call prints one line: the reason, the build command and how to silence it', () => {
    const lines = withFailingAddon(undefined, (choice) => {
      expect(choice.activeImplementation().name).toBe('typescript');
      for (let i = 0; i < 3; i++) expect(choice.implementationFor(undefined).name).toBe('typescript');
      expect(choice.implementationFor('typescript').name).toBe('typescript');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[recurrent\] native addon not loaded \(No native build was found for platform=testland arch=x64\); using the TypeScript kernels/);
    expect(lines[0]).toMatch(/Build it: npx recurrent build-native \(or: node \S+build-native\.js\)\./);
    expect(lines[0]).toContain('RECURRENT_KERNELS=typescript silences this.');
    expect(lines[0]).not.toContain('\n');
  });

  test('choosing the load only (no kernel call) prints nothing', () => {
    expect(withFailingAddon(undefined, (choice) => choice.activeImplementation())).toEqual([]);
  });

  test('RECURRENT_KERNELS=typescript and setImplementation() are choices, not fallbacks: no notice', () => {
    expect(withFailingAddon('typescript', (choice) => choice.implementationFor(undefined))).toEqual([]);
    const afterExplicitChoice = withFailingAddon(undefined, (choice) => {
      choice.activeImplementation();
      choice.setImplementation('typescript');
      choice.implementationFor(undefined);
    });
    expect(afterExplicitChoice).toEqual([]);
  });

  test('RECURRENT_KERNELS=native still refuses to fall back', () => {
    withFailingAddon('native', (choice) => {
      expect(() => choice.activeImplementation()).toThrow(/RECURRENT_KERNELS=native asks for the native kernels, but the native kernels cannot be used: No native build was found/);
    });
  });
});
