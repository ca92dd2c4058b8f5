#!/usr/bin/env node
'use strict';
let cli;
try {
  cli = require('../dist/main.js');
} catch (e) {
  // Settings read while the libraries load (RECURRENT_KERNELS=...) are the user's to fix: one line, exit 2.
  if (e && e.name === 'SettingError') {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
cli.main();
