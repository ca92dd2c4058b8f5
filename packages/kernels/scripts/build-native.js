#!/usr/bin/env node
// Builds the native addon at install time. A failed build is not an install failure: the kernels
// package then runs its TypeScript kernels, and `info()` reports which implementation is active.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const pkgDir = path.resolve(__dirname, '..');
if (process.env.RECURRENT_SKIP_NATIVE_BUILD === '1') {
  console.log('[recurrent] RECURRENT_SKIP_NATIVE_BUILD=1: native addon not built; the TypeScript kernels will be used.');
  process.exit(0);
}

function findNodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [pkgDir] });
  } catch {
    const npmBundled = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    return fs.existsSync(npmBundled) ? npmBundled : null;
  }
}

// Node's own headers ship beside the binary on most installs; using them avoids a download.
function localNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

const gyp = findNodeGyp();
if (!gyp) {
  console.warn('[recurrent] node-gyp not found: native addon not built; the TypeScript kernels will be used.');
  process.exit(0);
}
const args = [gyp, 'rebuild', '--release', `--jobs=${Math.max(1, require('os').cpus().length)}`];
const nodedir = process.env.npm_config_nodedir || localNodeDir();
if (nodedir) args.push(`--nodedir=${nodedir}`);
const started = Date.now();
const result = spawnSync(process.execPath, args, { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (result.status !== 0) {
  console.warn('[recurrent] native addon build failed; the TypeScript kernels will be used. Output:');
  console.warn((result.stdout || '').slice(-4000));
  console.warn((result.stderr || '').slice(-4000));
  process.exit(0);
}
console.log(`[recurrent] native addon built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
