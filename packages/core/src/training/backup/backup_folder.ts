/**
 * The backup folder on disk. Each backup is a generation: a folder of files written, flushed and
 * swapped in by renames, so that a kill at any point leaves a complete generation to resume from.
 *
 *   <dir>/latest/         the newest complete generation
 *   <dir>/previous/       the one before, only while a new one is being swapped in
 *   <dir>/incoming-<id>/  a generation being written (removed by the next write if a kill left it)
 *
 * Writing: incoming is written and flushed; latest (if any) is renamed to previous; incoming is renamed
 * to latest; previous is removed. Reading takes latest, else previous. Removal renames the whole folder
 * aside first, so a kill while deleting never leaves a half-deleted generation behind under its name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { fsyncDirectory, writeAndSync } from '../../saving/atomic_write';
import { closeFile, openRegularFile, readPieces } from '../../saving/safe_files';

export interface FileToWrite {
  name: string;
  data: Buffer | string;
}

const LATEST = 'latest';
const PREVIOUS = 'previous';
const INCOMING = 'incoming-';
const DELETED = '.deleted-';

function tag(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Removes what killed writers and removals left behind: incoming generations and folders set aside. */
export function removeLeftovers(dir: string): void {
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) if (name.startsWith(INCOMING)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  const parent = path.dirname(dir);
  const prefix = path.basename(dir) + DELETED;
  if (fs.existsSync(parent)) {
    for (const name of fs.readdirSync(parent)) if (name.startsWith(prefix)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Writes `files` as the new latest generation of the backup in `dir`. */
export function writeGeneration(dir: string, files: readonly FileToWrite[]): void {
  fs.mkdirSync(dir, { recursive: true });
  removeLeftovers(dir);
  const incoming = path.join(dir, INCOMING + tag());
  fs.mkdirSync(incoming);
  for (const file of files) writeAndSync(path.join(incoming, file.name), file.data);
  fsyncDirectory(incoming);
  const latest = path.join(dir, LATEST);
  const previous = path.join(dir, PREVIOUS);
  if (fs.existsSync(latest)) {
    // A previous left beside a latest is older than it (a kill after the swap): safe to drop.
    fs.rmSync(previous, { recursive: true, force: true });
    fs.renameSync(latest, previous);
  }
  fs.renameSync(incoming, latest);
  fsyncDirectory(dir);
  fs.rmSync(previous, { recursive: true, force: true });
}

/** The generation to resume from: latest, else previous (a swap cut short), else null. */
export function currentGeneration(dir: string): string | null {
  for (const name of [LATEST, PREVIOUS]) {
    const candidate = path.join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(candidate);
    } catch {
      continue;
    }
    if (!stat.isDirectory()) throw new Error(`${candidate} is not a folder (a backup generation is a folder of files); remove it, or start again without the backup.`);
    return candidate;
  }
  return null;
}

/** Deletes the backup folder: set aside by one rename, then removed. */
export function removeBackupFolder(dir: string): void {
  if (fs.existsSync(dir)) {
    const aside = `${dir}${DELETED}${tag()}`;
    fs.renameSync(dir, aside);
    fsyncDirectory(path.dirname(dir));
    fs.rmSync(aside, { recursive: true, force: true });
  }
  removeLeftovers(dir);
}

/**
 * The bytes of a regular file of at most `maxBytes` (exactly `expectedBytes` when given), read through
 * one descriptor: links, folders, devices and pipes are refused before anything is read.
 */
export function readRegularFile(file: string, maxBytes: number, expectedBytes?: number): Buffer {
  const opened = openRegularFile(file, { maxBytes, links: 'refuse', what: 'the backup file' });
  try {
    if (expectedBytes !== undefined && opened.size !== expectedBytes) {
      throw new Error(`${file} has ${opened.size} bytes, but the backup recorded ${expectedBytes}: it was truncated or replaced.`);
    }
    const data = Buffer.alloc(opened.size);
    readPieces(opened, 0, data);
    return data;
  } finally {
    closeFile(opened);
  }
}
