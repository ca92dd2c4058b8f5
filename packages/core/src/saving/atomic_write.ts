/**
 * Writing files so that a crash leaves either the old file or the new one: each file goes to a temporary
 * name in the same folder (same filesystem, so rename is atomic), is flushed to disk, and only then renamed
 * over its final name. Each file is replaced atomically, not a set: for files that refer to each other (a
 * model folder) see model_folder.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export interface FileToWrite {
  name: string;
  data: Buffer | string;
}

export function fsyncDirectory(dir: string): void {
  // Flushes the renames themselves. Not every platform can open a directory for fsync; that is not an error.
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* directory fsync unsupported here */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Creates `file` (it must not exist) with `data`, flushed to disk. */
export function writeAndSync(file: string, data: Buffer | string): void {
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The prefix of every temporary written for `name`: `.<name>.tmp-`. */
function temporaryPrefix(name: string): string {
  return `.${name}.tmp-`;
}

/** A fresh temporary path for `name` in `dir`, recognisable as ours (see removeTemporaries). */
export function temporaryPath(dir: string, name: string): string {
  return path.join(dir, `${temporaryPrefix(name)}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Whether `entry` (a file name) is a temporary of one of `names`, such as one a killed save left. */
export function isTemporaryOf(entry: string, names: readonly string[]): boolean {
  return names.some((name) => entry.startsWith(temporaryPrefix(name)));
}

/**
 * Replaces `dir/name` by `data` with one rename, after flushing the file and the folder's other entries. A
 * kill leaves the old file or the new one, and at most a temporary, which the next replace of the same
 * name removes.
 */
export function replaceFile(dir: string, name: string, data: Buffer | string): void {
  for (const entry of fs.readdirSync(dir)) if (isTemporaryOf(entry, [name])) fs.rmSync(path.join(dir, entry), { force: true });
  const temp = temporaryPath(dir, name);
  writeAndSync(temp, data);
  fsyncDirectory(dir);
  fs.renameSync(temp, path.join(dir, name));
  fsyncDirectory(dir);
}

/** Writes `files` into `dir` (created if missing) atomically file by file, removing temporaries on failure. */
export function writeFilesAtomically(dir: string, files: readonly FileToWrite[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const pending: { temp: string; final: string; name: string }[] = [];
  try {
    for (const file of files) {
      if (path.basename(file.name) !== file.name) throw new Error(`cannot write "${file.name}": expected a plain file name`);
      const temp = temporaryPath(dir, file.name);
      pending.push({ temp, final: path.join(dir, file.name), name: file.name });
      writeAndSync(temp, file.data);
    }
    for (const p of pending) {
      fs.renameSync(p.temp, p.final);
    }
  } catch (e) {
    for (const p of pending) fs.rmSync(p.temp, { force: true });
    throw e;
  }
  fsyncDirectory(dir);
}
