/**
 * Writing a set of files so that a crash leaves either the old files or the new ones: each file goes to a
 * temporary name in the same folder (same filesystem, so rename is atomic), is flushed to disk, and only
 * then renamed over its final name. The last file of the list is renamed last: callers put the file that
 * refers to the others (model.json) there, so it is the commit point.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export interface FileToWrite {
  name: string;
  data: Buffer | string;
}

/** Test seam: called before each step; throwing here simulates a crash at that point. */
export type WriteFaultHook = (step: 'write' | 'rename', fileName: string) => void;

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

/** Writes `files` into `dir` (created if missing) atomically file by file, removing temporaries on failure. */
export function writeFilesAtomically(dir: string, files: readonly FileToWrite[], fault?: WriteFaultHook): void {
  fs.mkdirSync(dir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const pending: { temp: string; final: string; name: string }[] = [];
  try {
    for (const file of files) {
      if (path.basename(file.name) !== file.name) throw new Error(`cannot write "${file.name}": expected a plain file name`);
      const temp = path.join(dir, `.${file.name}.tmp-${tag}`);
      pending.push({ temp, final: path.join(dir, file.name), name: file.name });
      fault?.('write', file.name);
      writeAndSync(temp, file.data);
    }
    for (const p of pending) {
      fault?.('rename', p.name);
      fs.renameSync(p.temp, p.final);
    }
  } catch (e) {
    for (const p of pending) fs.rmSync(p.temp, { force: true });
    throw e;
  }
  fsyncDirectory(dir);
}
