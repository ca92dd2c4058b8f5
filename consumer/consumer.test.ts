/**
 * The packages as their users get them: packed with `pnpm pack` (as they would be published), then
 * installed from the tarballs into fresh projects outside the workspace, with npm (install scripts
 * disabled) and with pnpm (which runs no dependency's scripts), and used there: the README's first
 * sample, the prebuilt native kernels, one tfjs shared with the project, the `recurrent` command, and
 * a TypeScript file type-checked against the packages' declarations.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConsumerProject, type Installer } from './project';
import { readmeFirstSample } from './readme_sample';
import { compiledFiles, nativeBuildInputs, tarballFiles, tarballText } from './tarball';
import { typeErrors, type Resolution } from './type_check';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packPackages } = require('../scripts/pack-packages') as { packPackages: (destination: string) => Record<string, string> };

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_DIRS: Record<string, string> = {
  '@recurrent/kernels': path.join(ROOT, 'packages', 'kernels'),
  '@recurrent/core': path.join(ROOT, 'packages', 'core'),
  '@recurrent/cli': path.join(ROOT, 'packages', 'cli'),
};
const PLATFORM = `${os.platform()}-${os.arch()}`;
const FIXTURES = path.join(__dirname, 'fixtures');
const MINUTE = 60_000;

interface Manifest {
  name: string;
  version: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  engines?: Record<string, string>;
  license?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

let packDir: string;
let tarballs: Record<string, string>;

beforeAll(() => {
  packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-tarballs-'));
  const started = Date.now();
  tarballs = packPackages(packDir);
  const sizes = Object.values(tarballs).map((f) => `${path.basename(f)} ${(fs.statSync(f).size / 1024).toFixed(0)} KiB`);
  console.log(`packed in ${((Date.now() - started) / 1000).toFixed(1)} s: ${sizes.join(', ')}`);
}, 10 * MINUTE);

afterAll(() => {
  if (packDir !== undefined) fs.rmSync(packDir, { recursive: true, force: true });
});

describe('the tarballs', () => {
  test.each(Object.keys(PACKAGE_DIRS))('%s holds every compiled file and declaration, README, LICENSE, and no tests or sources', (name) => {
    const dir = PACKAGE_DIRS[name];
    const files = tarballFiles(tarballs[name]);
    const compiled = compiledFiles(dir);
    expect(compiled.length).toBeGreaterThan(20);
    const kernelsExtras = name === '@recurrent/kernels' ? [...nativeBuildInputs(dir), 'scripts/build-native.js'] : [];
    const binFiles = name === '@recurrent/cli' ? ['bin/recurrent.js'] : [];
    const expected = [...compiled, ...kernelsExtras, ...binFiles, 'LICENSE', 'README.md', 'package.json'];
    // Missing: a file the package needs. Unexpected: tests, sources, maps, or stale output in dist/.
    expect(expected.filter((f) => !files.includes(f))).toEqual([]);
    const prebuilt = (f: string) => f.startsWith('prebuilds/');
    expect(files.filter((f) => !expected.includes(f) && !prebuilt(f))).toEqual([]);
  });

  test('the kernels tarball holds one prebuilt addon for this platform, an N-API build', () => {
    const prebuilds = tarballFiles(tarballs['@recurrent/kernels']).filter((f) => f.startsWith('prebuilds/'));
    expect(prebuilds).toHaveLength(1);
    // node-gyp-build's file-name tags: 'napi' fits every Node.js ABI; on Linux the C library is named.
    const tags = os.platform() === 'linux' ? /^recurrent_kernels\.napi\.(glibc|musl)\.node$/ : /^recurrent_kernels\.napi\.node$/;
    expect(path.posix.dirname(prebuilds[0])).toBe(`prebuilds/${PLATFORM}`);
    expect(path.posix.basename(prebuilds[0])).toMatch(tags);
  });

  test('the manifests: dependencies on each other by version, tfjs as a peer, Node >= 20, CommonJS entry points', () => {
    for (const [name, tgz] of Object.entries(tarballs)) {
      const manifest = JSON.parse(tarballText(tgz, 'package.json')) as Manifest;
      const files = tarballFiles(tgz);
      expect(JSON.stringify(manifest)).not.toContain('workspace:');
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
        if (dep.startsWith('@recurrent/')) expect({ dep, range }).toEqual({ dep, range: manifest.version });
      }
      expect(manifest.dependencies?.['@tensorflow/tfjs']).toBeUndefined();
      expect(manifest.peerDependencies?.['@tensorflow/tfjs']).toBe('^4.22.0');
      expect(manifest.engines?.node).toBe('>=20');
      expect(manifest.license).toBe('MIT');
      expect(manifest).not.toHaveProperty('type');
      expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' });
      for (const file of [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})]) {
        expect({ name, file, packed: files.includes(path.posix.normalize(file ?? '')) }).toEqual({ name, file, packed: true });
      }
    }
  });
});

describe.each<Installer>(['npm', 'pnpm'])('a project that installs the tarballs with %s', (installer) => {
  let project: ConsumerProject;

  beforeAll(() => {
    project = new ConsumerProject(installer);
    const started = Date.now();
    project.install(tarballs);
    console.log(`${installer}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s (${project.dir})`);
  }, 10 * MINUTE);

  afterAll(() => project?.remove());

  test('info() reports the native kernels, loaded from the prebuilt addon', () => {
    const facts = JSON.parse(project.node(['-e', "process.stdout.write(JSON.stringify(require('@recurrent/core').info()))"]).stdout);
    expect(facts).toMatchObject({ implementation: 'native', implementationSource: 'prebuild', nativeError: null });
    expect(fs.realpathSync(facts.nativeFile)).toContain(`${path.sep}@recurrent${path.sep}kernels${path.sep}prebuilds${path.sep}${PLATFORM}${path.sep}`);
    expect(fs.realpathSync(facts.nativeFile).startsWith(fs.realpathSync(project.dir))).toBe(true);
    expect(project.bin('recurrent', ['info']).stdout).toMatch(/^kernel implementation +native \(prebuild\)$/m);
  });

  test("the README's first sample runs as pasted, as an ES module and as CommonJS", () => {
    const sample = readmeFirstSample();
    for (const file of [project.write('first-model.mjs', sample.esm), project.write('first-model.cjs', sample.cjs)]) {
      const { stdout, stderr } = project.node([file]);
      expect(stdout).toContain('Epoch 3/3');
      for (const name of ['emma', 'oliver', 'sophia', 'james']) expect(stdout).toMatch(new RegExp(`^${name}: \\d+% female$`, 'm'));
      expect(stderr).not.toContain('[recurrent]');
    }
  }, 5 * MINUTE);

  test('every export of the packages is a named export for ES modules', () => {
    fs.copyFileSync(path.join(FIXTURES, 'esm_named_exports.mjs'), path.join(project.dir, 'esm_named_exports.mjs'));
    const lines = project.node(['esm_named_exports.mjs']).stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['@recurrent/kernels', '@recurrent/core', '@recurrent/cli']);
  });

  test("the project's own @tensorflow/tfjs is the library's: tensors train and predict, tf.variableGrads sees a layer's variables", () => {
    fs.copyFileSync(path.join(FIXTURES, 'one_tfjs.cjs'), path.join(project.dir, 'one_tfjs.cjs'));
    fs.copyFileSync(path.join(FIXTURES, 'one_tfjs.mjs'), path.join(project.dir, 'one_tfjs.mjs'));
    expect(project.node(['one_tfjs.cjs']).stdout).toContain('one tfjs: ok');
    expect(project.node(['one_tfjs.mjs']).stdout).toContain('one tfjs (esm): ok');
  }, 5 * MINUTE);

  test('without a usable native addon, the first layer call says so in one line; RECURRENT_KERNELS=typescript silences it', () => {
    const script = [
      "const { layers, sequential, tf, info } = require('@recurrent/core');",
      'const model = sequential({ layers: [layers.simpleRNN({ units: 2, inputShape: [3, 1] })] });',
      'for (let i = 0; i < 3; i++) model.predict(tf.zeros([1, 3, 1])).dispose();',
      'console.log(info().implementation);',
    ].join('\n');
    // node-gyp-build reads the addon from <NAME>_PREBUILD instead of the package when that is set:
    // pointed at an empty place, no build is found, as on a platform without a prebuilt binary.
    const nowhere = { '@RECURRENT/KERNELS_PREBUILD': path.join(project.dir, 'no-addon-here') };
    const fallback = project.node(['-e', script], nowhere);
    expect(fallback.stdout.trim()).toBe('typescript');
    const notices = fallback.stderr.split('\n').filter((line) => line.includes('[recurrent]'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^\[recurrent\] native addon not loaded \(No native build was found for .*\); using the TypeScript kernels/);
    expect(notices[0]).toContain('npx recurrent build-native');
    expect(notices[0]).toContain('RECURRENT_KERNELS=typescript silences this');
    const silenced = project.node(['-e', script], { ...nowhere, RECURRENT_KERNELS: 'typescript' });
    expect(silenced.stdout.trim()).toBe('typescript');
    expect(silenced.stderr).not.toContain('[recurrent]');
  }, 2 * MINUTE);

  test('npx recurrent init classification, then fit for one epoch', () => {
    project.bin('recurrent', ['init', 'classification']);
    const fit = project.bin('recurrent', ['fit', 'classification/experiment.json', '--epochs', '1']);
    // Keras 3 prints no "Epoch 1/1" header for a single epoch: the bar of its last batch is the line.
    expect(fit.stdout).toMatch(/^\d+\/\d+ .* - loss: [0-9.]+ .* - val_loss: [0-9.]+/m);
    const out = path.join(project.dir, 'classification', 'out');
    for (const file of ['model.json', 'weights.bin', 'preprocessing.json', 'report.html']) expect(fs.existsSync(path.join(out, file))).toBe(true);
    const history = JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8'));
    expect(history.epoch).toEqual([1]);
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
  }, 5 * MINUTE);

  test.each<Resolution>(['node16', 'bundler'])('TypeScript files using the packages type-check with --strict (moduleResolution %s)', (resolution) => {
    const typed = fs.readFileSync(path.join(FIXTURES, 'typed_use.ts'), 'utf8');
    const sample = readmeFirstSample().esm;
    // .ts is a CommonJS module in this project (no "type": "module"), .mts an ES module.
    const files = [project.write('typed_use.ts', typed), project.write('typed_use.mts', typed), project.write('first_model.ts', sample), project.write('first_model.mts', sample)];
    expect(typeErrors(project.dir, files, resolution)).toEqual([]);
  }, 5 * MINUTE);

  // Last: afterwards the project loads the build from source instead of the prebuild. With npm only,
  // since the build is the same for both (it compiles the tarball's sources) and takes a while.
  if (installer === 'npm') {
    test('npx recurrent build-native compiles the addon from the tarball\'s sources; the kernels then load that build', () => {
      expect(project.bin('recurrent', ['build-native']).stdout).toMatch(/native addon built in [\d.]+ s/);
      const facts = JSON.parse(project.node(['-e', "process.stdout.write(JSON.stringify(require('@recurrent/core').info()))"]).stdout);
      expect(facts).toMatchObject({ implementation: 'native', implementationSource: 'built from source' });
      expect(facts.nativeFile).toBe(path.join(project.dir, 'node_modules', '@recurrent', 'kernels', 'build', 'Release', 'recurrent_kernels.node'));
    }, 10 * MINUTE);
  }
});
