#!/usr/bin/env node
// Removes compiled files whose TypeScript source no longer exists.
//
// `tsc -b` writes dist/ incrementally and never deletes the output of a source file that was renamed
// or removed, so without this a developer's tree keeps stale modules (and `npm pack` ships them).
// Deleting dist/ instead would force a full rebuild and break tests reading dist/ at the same time.
'use strict';
const fs = require('fs');
const path = require('path');

const PACKAGES = ['kernels', 'core', 'cli'];
const OUTPUT_SUFFIXES = ['.d.ts.map', '.js.map', '.d.ts', '.js'];

function sourceFor(distFile, distDir, srcDir) {
  const rel = path.relative(distDir, distFile);
  const suffix = OUTPUT_SUFFIXES.find((s) => rel.endsWith(s));
  if (suffix === undefined) return null; // not a compiler output: leave it alone
  return path.join(srcDir, rel.slice(0, -suffix.length) + '.ts');
}

function prune(dir, distDir, srcDir, removed) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(full, distDir, srcDir, removed);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
    } else if (entry.isFile()) {
      const source = sourceFor(full, distDir, srcDir);
      if (source !== null && !fs.existsSync(source)) {
        fs.unlinkSync(full);
        removed.push(path.relative(process.cwd(), full));
      }
    }
  }
}

const root = path.resolve(__dirname, '..');
const removed = [];
for (const name of PACKAGES) {
  const distDir = path.join(root, 'packages', name, 'dist');
  if (fs.existsSync(distDir)) prune(distDir, distDir, path.join(root, 'packages', name, 'src'), removed);
}
if (removed.length > 0) console.log(`removed ${removed.length} stale compiled file(s): ${removed.slice(0, 5).join(', ')}${removed.length > 5 ? ', ...' : ''}`);
