/** info() names the active implementation and where it came from: the prebuild, a build from source, or TypeScript. */
import * as path from 'path';
import { info } from './info';
import { setImplementation } from './implementation_choice';
import { implementationsUnderTest } from './implementations_under_test';

describe('info() and the origin of the kernels', () => {
  test('the native kernels of the repository are its build from source; the TypeScript kernels are "typescript"', () => {
    const before = info();
    try {
      if (implementationsUnderTest().includes('native')) {
        setImplementation('native');
        expect(info()).toMatchObject({
          implementation: 'native',
          implementationSource: 'built from source',
          nativeFile: path.resolve(__dirname, '..', '..', 'build', 'Release', 'recurrent_kernels.node'),
          nativeError: null,
        });
      }
      setImplementation('typescript');
      const ts = info();
      expect(ts.implementation).toBe('typescript');
      expect(ts.implementationSource).toBe('typescript');
      // The addon's file stays known while the TypeScript kernels are chosen.
      expect(ts.nativeFile).toBe(before.nativeFile);
    } finally {
      setImplementation(before.implementation);
    }
  });
});
