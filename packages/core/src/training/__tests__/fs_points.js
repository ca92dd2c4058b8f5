/**
 * The points where a kill can fall while a program changes the disk: every call of an 'fs' operation
 * that creates, writes, flushes, renames or removes. patchDiskChanges patches those operations on the
 * 'fs' module object itself (so every user of 'fs' is reached) and reports each call before it runs;
 * calls made inside another (a recursive removal's unlinks) belong to it and are not reported.
 * Plain JavaScript so that a child process can load it with `node --require` (see kill_at_point.js).
 */
const fs = require('fs');

const OPERATIONS = ['openSync', 'writeSync', 'writeFileSync', 'appendFileSync', 'fsyncSync', 'fdatasyncSync', 'renameSync', 'rmSync', 'unlinkSync', 'rmdirSync', 'mkdirSync', 'copyFileSync', 'linkSync', 'closeSync'];

function opensForWriting(flags) {
  if (flags === undefined) return false;
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
  return /[wa+]/.test(String(flags));
}

/**
 * Calls onPoint({ name, target, args, original }) before every disk-changing call (target: the path, or
 * the path a descriptor was opened with); onPoint may throw or end the process. Returns the function
 * that restores the original operations.
 */
function patchDiskChanges(onPoint) {
  const originals = new Map();
  const fdPaths = new Map();
  let depth = 0;
  for (const name of OPERATIONS) {
    const original = fs[name];
    originals.set(name, original);
    fs[name] = (...args) => {
      if (depth > 0) return original.apply(fs, args);
      depth++;
      try {
        const target = typeof args[0] === 'number' ? (fdPaths.get(args[0]) ?? `fd ${args[0]}`) : String(args[0]);
        if (name !== 'closeSync' && (name !== 'openSync' || opensForWriting(args[1]))) onPoint({ name, target, args, original });
        const result = original.apply(fs, args);
        if (name === 'openSync') fdPaths.set(result, target);
        if (name === 'closeSync') fdPaths.delete(args[0]);
        return result;
      } finally {
        depth--;
      }
    };
  }
  return () => {
    for (const [name, original] of originals) fs[name] = original;
  };
}

module.exports = { patchDiskChanges };
