/**
 * The environment the benchmarks give PyTorch: OPENBLAS_CORETYPE=SkylakeX only where the CPU can run
 * AVX-512 (elsewhere it kills the process with an illegal instruction), and failures named in one line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const { cpuHasAvx512, pytorchEnv, scriptFailure } = require('./pytorch_process.js');

describe('pytorchEnv', () => {
  it('sets SkylakeX on a CPU with AVX-512 when nothing is set', () => {
    const { env, warning } = pytorchEnv({ PATH: '/bin' }, true);
    expect(env).toEqual({ PATH: '/bin', OPENBLAS_CORETYPE: 'SkylakeX' });
    expect(warning).toBeNull();
  });

  it('sets nothing on a CPU without AVX-512', () => {
    const { env, warning } = pytorchEnv({ PATH: '/bin', OPENBLAS_CORETYPE: '' }, false);
    expect(env).toEqual({ PATH: '/bin', OPENBLAS_CORETYPE: '' });
    expect(warning).toBeNull();
  });

  it('drops an AVX-512 core type the CPU cannot run, whatever its case, and says so', () => {
    for (const name of ['SkylakeX', 'SKYLAKEX', 'CooperLake', 'sapphirerapids']) {
      const given = { PATH: '/bin', OPENBLAS_CORETYPE: name };
      const { env, warning } = pytorchEnv(given, false);
      expect(env).toEqual({ PATH: '/bin' });
      expect(given.OPENBLAS_CORETYPE).toBe(name); // the caller's object is left alone
      expect(warning).toContain(`OPENBLAS_CORETYPE=${name} needs AVX-512`);
    }
  });

  it('keeps a core type the user chose that the CPU can run', () => {
    expect(pytorchEnv({ OPENBLAS_CORETYPE: 'Zen' }, false).env).toEqual({ OPENBLAS_CORETYPE: 'Zen' });
    expect(pytorchEnv({ OPENBLAS_CORETYPE: 'Haswell' }, true).env).toEqual({ OPENBLAS_CORETYPE: 'Haswell' });
    expect(pytorchEnv({ OPENBLAS_CORETYPE: 'SkylakeX' }, true)).toEqual({ env: { OPENBLAS_CORETYPE: 'SkylakeX' }, warning: null });
  });
});

describe('cpuHasAvx512', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-cpuinfo-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads the avx512f flag of a flags line', () => {
    expect(cpuHasAvx512(write('intel', 'processor\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f avx512dq\n'))).toBe(true);
    expect(cpuHasAvx512(write('amd', 'processor\t: 0\nflags\t\t: fpu sse2 avx2 fma sha_ni\n'))).toBe(false);
  });

  it('is not fooled by a longer flag name or a flag outside the flags line', () => {
    expect(cpuHasAvx512(write('other', 'flags\t\t: fpu avx512fx\nbugs\t\t: avx512f\n'))).toBe(false);
  });

  it('is false when the file cannot be read', () => {
    expect(cpuHasAvx512(path.join(dir, 'missing'))).toBe(false);
  });
});

describe('scriptFailure', () => {
  it('names a signal, with a hint for an illegal instruction', () => {
    expect(scriptFailure('pytorch_rnn.py', { status: null, signal: 'SIGILL', stderr: '' })).toBe(
      'pytorch_rnn.py was killed by SIGILL (an instruction this CPU lacks: check OPENBLAS_CORETYPE)',
    );
    expect(scriptFailure('pytorch_rnn.py', { status: null, signal: 'SIGKILL', stderr: '' })).toBe('pytorch_rnn.py was killed by SIGKILL');
  });

  it('gives the exit status and the last line of stderr, bounded', () => {
    expect(scriptFailure('a.py', { status: 1, signal: null, stderr: 'Traceback\nValueError: bad\n' })).toBe('a.py failed (exit 1): ValueError: bad');
    expect(scriptFailure('a.py', { status: 2, signal: null, stderr: '' })).toBe('a.py failed (exit 2)');
    expect(scriptFailure('a.py', { status: 1, signal: null, stderr: 'x'.repeat(5000) })).toHaveLength('a.py failed (exit 1): '.length + 500);
  });

  it('says when the interpreter could not start', () => {
    expect(scriptFailure('a.py', { status: null, signal: null, error: new Error('spawn ENOENT') })).toBe('a.py could not start: spawn ENOENT');
  });
});
