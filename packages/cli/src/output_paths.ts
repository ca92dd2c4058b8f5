/**
 * Where commands write (--out folders, --output files): a file where a folder should be, a folder where
 * a file should be, or a folder that cannot be created is a usage error naming the option and the path,
 * not a raw EEXIST or EISDIR.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './errors';

function codeOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Refuses a folder path that is a file, before any work is done. */
export function checkFolderPath(dir: string, option: string): void {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isDirectory()) throw new UsageError(`${option} ${dir} is a file, not a folder`, `choose a folder path for ${option}, or remove the file`);
}

/** Creates `dir` and its parents for writing into. */
export function ensureFolder(dir: string, option: string): void {
  checkFolderPath(dir, option);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`${option} ${dir} cannot be created: a part of its path is a file`, `choose a folder path for ${option}`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UsageError(`${option} ${dir} cannot be created (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})`, `choose a folder you can write to`);
    throw e;
  }
}

/** Writes `text` to the file `file` names. */
export function writeOutputFile(file: string, text: string, option: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EISDIR') throw new UsageError(`${option} ${file} is a folder, not a file`, `give a file path for ${option}`);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${option} ${file} cannot be written: its folder ${path.dirname(file)} does not exist`, 'create the folder first, or choose another path');
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UsageError(`${option} ${file} cannot be written (permission denied)`, 'choose a path you can write to');
    throw e;
  }
}
