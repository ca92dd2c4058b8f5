'use strict';
/**
 * Each benchmark cell runs in a fresh Node process (the script calls itself with --child): a failure
 * there prints its stack and exits 1, which the parent reports as the cell's failure.
 */
function runChildCell(child, args) {
  child(args).catch((e) => {
    console.error(e.stack || String(e));
    process.exit(1);
  });
}

module.exports = { runChildCell };
