#!/usr/bin/env node
// Builds the native addon from source with node-gyp, and manages the prebuilt binary the package ships.
//
//   node scripts/build-native.js                    build from source into build/Release (exit 1 on failure);
//                                                   `recurrent build-native` runs this
//   node scripts/build-native.js --install          the package's install script: nothing to do when the
//                                                   shipped prebuild loads; otherwise build, and a failed
//                                                   build is no install failure (the TypeScript kernels run)
//   node scripts/build-native.js --prebuild         before packing: an up-to-date build, copied to
//                                                   prebuilds/<platform>-<arch>/ and checked to load from there
//   node scripts/build-native.js --remove-prebuilds after packing: prebuilds/ is removed (never committed)
//
// The addon picks its SIMD code path (AVX-512, AVX2 or portable) at run time, so one binary serves
// every x64 CPU; nothing is compiled for the build machine's own CPU.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PKG_DIR = path.resolve(__dirname, '..');
const BUILT = path.join(PKG_DIR, 'build', 'Release', 'recurrent_kernels.node');
const PREBUILDS = path.join(PKG_DIR, 'prebuilds');
const LOADER = path.join(PKG_DIR, 'dist', 'native', 'load.js');
const say = (line) => console.log(`[recurrent] ${line}`);

/** node-gyp's file-name tags: an N-API build (any Node.js ABI) for this C library. */
function prebuildFile() {
  let tags = 'napi';
  if (os.platform() === 'linux') tags += process.report.getReport().header.glibcVersionRuntime ? '.glibc' : '.musl';
  return path.join(PREBUILDS, `${os.platform()}-${os.arch()}`, `recurrent_kernels.${tags}.node`);
}

function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [PKG_DIR] }));
  } catch {
    // not a dependency outside the repository: use the package manager's own copy
  }
  if (process.env.npm_execpath) {
    const dir = path.dirname(process.env.npm_execpath);
    candidates.push(path.join(dir, '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    candidates.push(path.join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

// Node's own headers ship beside the binary on most installs; using them avoids a download.
function localNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

/** Runs node-gyp ('rebuild', or 'build': make's incremental build of an existing configuration). */
function nodeGyp(command) {
  const gyp = findNodeGyp();
  if (!gyp) return { ok: false, output: 'node-gyp was not found (it ships with npm; or: npm install -g node-gyp)' };
  const args = [gyp, command, '--release', `--jobs=${Math.max(1, os.cpus().length)}`];
  const nodedir = process.env.npm_config_nodedir || localNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const result = spawnSync(process.execPath, args, { cwd: PKG_DIR, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const output = `${(result.stdout || '').slice(-4000)}\n${(result.stderr || '').slice(-4000)}`.trim();
  return { ok: result.status === 0 && fs.existsSync(BUILT), output };
}

/** Whether the addon loads as the package's loader would load it (PREBUILDS_ONLY: from prebuilds/ only). */
function probe(prebuildsOnly) {
  if (!fs.existsSync(LOADER)) return { ok: false, error: `${LOADER} is missing (the package is not compiled)` };
  const env = { ...process.env };
  delete env.PREBUILDS_ONLY;
  if (prebuildsOnly) env.PREBUILDS_ONLY = '1';
  const code = `const l = require(${JSON.stringify(LOADER)}).loadNativeAddon(); process.stdout.write(JSON.stringify(l.ok ? { ok: true, file: l.file } : { ok: false, error: l.error }));`;
  const result = spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8' });
  try {
    return JSON.parse(result.stdout);
  } catch {
    return { ok: false, error: `the check crashed: ${(result.stderr || '').trim().split('\n')[0]}` };
  }
}

function buildFromSource(command) {
  say(`building the native addon from source with node-gyp (${command})...`);
  const started = Date.now();
  const result = nodeGyp(command);
  if (result.ok) say(`native addon built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${BUILT}`);
  return result;
}

function install() {
  if (process.env.RECURRENT_SKIP_NATIVE_BUILD === '1') {
    return say('RECURRENT_SKIP_NATIVE_BUILD=1: native addon not built; the prebuilt one or the TypeScript kernels will be used.');
  }
  // A checkout of the repository (it has the TypeScript sources) always builds: its C++ may have changed.
  const checkout = fs.existsSync(path.join(PKG_DIR, 'src'));
  if (!checkout && fs.existsSync(PREBUILDS)) {
    const shipped = probe(true);
    if (shipped.ok) return say(`using the prebuilt native addon (${path.relative(PKG_DIR, shipped.file)}); nothing to build`);
    say(`the prebuilt native addon does not load here (${shipped.error}); building from source`);
  }
  const result = buildFromSource('rebuild');
  if (!result.ok) {
    console.warn('[recurrent] native addon build failed; the TypeScript kernels will be used. Output:');
    console.warn(result.output);
  }
}

function build() {
  const result = buildFromSource('rebuild');
  if (!result.ok) {
    console.error(result.output);
    console.error('[recurrent] the native addon build failed. It needs Python 3, make and a C++17 compiler (Debian/Ubuntu: apt-get install build-essential python3).');
    process.exit(1);
  }
  if (fs.existsSync(LOADER)) {
    const check = probe(false);
    if (!check.ok) {
      console.error(`[recurrent] the new build does not load: ${check.error}`);
      process.exit(1);
    }
  }
}

function prebuild() {
  const makefile = path.join(PKG_DIR, 'build', 'Makefile');
  const configured = fs.existsSync(makefile) && fs.statSync(makefile).mtimeMs >= fs.statSync(path.join(PKG_DIR, 'binding.gyp')).mtimeMs;
  const result = buildFromSource(configured ? 'build' : 'rebuild');
  if (!result.ok) {
    console.error(result.output);
    console.error('[recurrent] no prebuilt binary: the native addon build failed');
    process.exit(1);
  }
  const target = prebuildFile();
  fs.rmSync(PREBUILDS, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(BUILT, target);
  const check = probe(true);
  if (!check.ok || check.file !== target) {
    console.error(`[recurrent] the prebuilt binary ${target} does not load: ${check.ok ? `the loader chose ${check.file}` : check.error}`);
    process.exit(1);
  }
  say(`prebuilt binary: ${path.relative(PKG_DIR, target)} (${(fs.statSync(target).size / 1024).toFixed(0)} KiB)`);
}

const mode = process.argv[2];
if (mode === '--install') install();
else if (mode === '--prebuild') prebuild();
else if (mode === '--remove-prebuilds') fs.rmSync(PREBUILDS, { recursive: true, force: true });
else if (mode === undefined) build();
else {
  console.error(`build-native.js: unknown option '${mode}'; expected --install, --prebuild, --remove-prebuilds or nothing`);
  process.exit(2);
}
