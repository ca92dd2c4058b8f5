/**
 * Loaded into a `recurrent` child process with `node --require` by the crash tests: it numbers the
 * points where the process changes the disk under RECURRENT_TEST_KILL_UNDER (fs_points.js), appends
 * each to RECURRENT_TEST_POINTS_LOG when set, and kills the process with SIGKILL at point number
 * RECURRENT_TEST_KILL_AT, before that operation runs: nothing of the program runs after it.
 */
const fs = require('fs');
const { patchDiskChanges } = require('../../../core/src/training/__tests__/fs_points.js');

const under = process.env.RECURRENT_TEST_KILL_UNDER;
const killAt = process.env.RECURRENT_TEST_KILL_AT === undefined ? -1 : Number(process.env.RECURRENT_TEST_KILL_AT);
const log = process.env.RECURRENT_TEST_POINTS_LOG;
let count = 0;
if (under) {
  patchDiskChanges(({ name, target }) => {
    if (!target.startsWith(under)) return;
    if (log) fs.appendFileSync(log, `${name} ${target}\n`);
    if (count++ === killAt) process.kill(process.pid, 'SIGKILL');
  });
}
