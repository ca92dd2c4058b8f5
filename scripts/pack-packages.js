#!/usr/bin/env node
// Packs @recurrent/kernels, @recurrent/core and @recurrent/cli into npm tarballs, as they would be
// published: `pnpm pack` compiles each package (its prepack step), puts the prebuilt native addon
// into the kernels tarball and writes the workspace's "workspace:*" dependencies as versions.
//   node scripts/pack-packages.js [destination]     (default: tarballs/; prints the tarball paths)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGES = ['kernels', 'core', 'cli'];
const PNPM = ['--yes', 'pnpm@12.4.2'];

/** Packs the three packages into `destination`; returns { '@recurrent/kernels': '/abs/recurrent-kernels-0.1.0.tgz', ... }. */
function packPackages(destination) {
  const dest = path.resolve(destination);
  fs.mkdirSync(dest, { recursive: true });
  const tarballs = {};
  for (const name of PACKAGES) {
    const dir = path.join(ROOT, 'packages', name);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const file = path.join(dest, `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`);
    fs.rmSync(file, { force: true });
    const result = spawnSync('npx', [...PNPM, 'pack', '--pack-destination', dest], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0 || !fs.existsSync(file)) {
      throw new Error(`pnpm pack of ${manifest.name} failed (exit ${result.status}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
    }
    tarballs[manifest.name] = file;
  }
  return tarballs;
}

module.exports = { packPackages, PACKAGES };

if (require.main === module) {
  try {
    for (const file of Object.values(packPackages(process.argv[2] ?? path.join(ROOT, 'tarballs')))) console.log(file);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
