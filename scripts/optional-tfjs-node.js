#!/usr/bin/env node
// Runs the install step of the optional @tensorflow/tfjs-node after the workspace install, and reports
// the outcome in one line. pnpm does not run that step itself (`allowBuilds: false` in
// pnpm-workspace.yaml): offline or without Google's storage it fails with a long stack trace that reads
// like a broken install, while recurrent only needs tfjs's 'cpu' backend. When the step succeeds,
// tfjs-node loads and recurrent uses its 'tensorflow' backend.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const KERNELS_DIR = path.join(__dirname, '..', 'packages', 'kernels');
const PREFIX = '[recurrent] optional @tensorflow/tfjs-node';
// The download of libtensorflow is about 100 MB; a stalled connection must not hold the install forever.
const TIMEOUT_MS = 10 * 60 * 1000;

function packageDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json', { paths: [KERNELS_DIR] }));
  } catch {
    return null;
  }
}

function hasBinding(dir) {
  const lib = path.join(dir, 'lib');
  if (!fs.existsSync(lib)) return false;
  return fs.readdirSync(lib).some((napi) => fs.existsSync(path.join(lib, napi, 'tfjs_binding.node')));
}

/** The line of the install's output that says what went wrong (e.g. "getaddrinfo ENOTFOUND storage.googleapis.com"). */
function reason(result) {
  if (result.error) return result.error.code === 'ETIMEDOUT' ? `no answer within ${TIMEOUT_MS / 60000} minutes` : result.error.message;
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const error = lines.find((l) => /^(\w*Error|error)\b/.test(l));
  return (error ?? lines.at(-1) ?? `exit status ${result.status}`).replace(/^Error: /, '');
}

function main() {
  if (process.env.RECURRENT_TFJS_NODE === '0') return console.log(`${PREFIX}: skipped (RECURRENT_TFJS_NODE=0)`);
  const dir = packageDir();
  if (dir === null) return console.log(`${PREFIX}: not installed; tfjs's 'cpu' backend is used`);
  if (hasBinding(dir)) return console.log(`${PREFIX}: ready (the 'tensorflow' backend is used)`);
  const bin = path.join(dir, 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  const result = spawnSync(process.execPath, ['scripts/install.js'], { cwd: dir, env, encoding: 'utf8', timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status === 0 && hasBinding(dir)) return console.log(`${PREFIX}: installed (the 'tensorflow' backend is used)`);
  console.log(`${PREFIX}: unavailable (${reason(result)}); not needed: tfjs's 'cpu' backend and recurrent's native kernels are used`);
}

main();
