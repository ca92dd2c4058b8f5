/**
 * Opening the files a model folder, a backup or a data set names, safely against crafted folders: every
 * file is opened once, checked on the opened descriptor (a regular file, within a size limit), and read
 * in bounded pieces, so a symbolic link to /dev/zero, a FIFO named model.json or a 3 GB "JSON" file is
 * refused before anything is allocated or before a read could block. Files named by a folder must
 * resolve (real paths, links followed) to a place inside that folder.
 *
 * Every reader of such files goes through this module: model.json and its weight shards, optimizer
 * state, backups, Keras files, data files.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Hash } from 'crypto';

/** A single read(2) asks for at most this many bytes (Node refuses lengths beyond 2^31 - 1). */
export const READ_PIECE_BYTES = 64 * 1024 * 1024;

/**
 * Why a file was not opened or read: the file and a sentence saying what is wrong with it; `missing` when
 * there is no such file (callers word that case their own way).
 */
export class FileAccessError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly missing = false,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileAccessError';
  }
}

/**
 * How symbolic links are treated:
 * - 'refuse': the file itself must not be a link (backups, which this library wrote itself);
 * - 'follow': a path the user gave, followed wherever it points (it must still end at a regular file);
 * - { inside }: a file a folder names; it may be a link, but its real path must be inside `inside`
 *   (unless `allowOutside`, for folders of links into a content store such as git-annex).
 */
export type LinkPolicy = 'refuse' | 'follow' | { inside: string; allowOutside?: boolean };

export interface OpenOptions {
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  links: LinkPolicy;
  /** What the file is, for messages ("model.json", "weights file"). Default "file". */
  what?: string;
}

/** A regular file opened for reading, with its size as the descriptor reports it. */
export interface OpenedFile {
  /** The path given to open. */
  path: string;
  fd: number;
  size: number;
}

function fileKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder, not a file';
  if (stat.isFIFO()) return 'a FIFO (named pipe), not a regular file';
  if (stat.isSocket()) return 'a socket, not a regular file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device, not a regular file';
  if (stat.isSymbolicLink()) return 'a symbolic link, not a regular file';
  return 'not a regular file';
}

/** Whether `child` (a real path) is `folder` itself or inside it. */
function isWithin(folder: string, child: string): boolean {
  const relative = path.relative(folder, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of a folder (links resolved), as the reference for `{ inside }`. */
export function realFolder(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch (e) {
    throw new FileAccessError(folder, `cannot be resolved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The path to open under a link policy, after checking where it really leads. */
function pathToOpen(file: string, links: LinkPolicy, what: string): string {
  if (typeof links === 'string') return file;
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const dangling = fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true;
      throw new FileAccessError(file, dangling ? `${what} is a symbolic link to nothing` : `${what} is missing (no such file)`, !dangling);
    }
    if (code === 'ELOOP') throw new FileAccessError(file, `${what} is a loop of symbolic links`);
    throw new FileAccessError(file, `${what} cannot be resolved (${code ?? (e as Error).message})`);
  }
  if (!links.allowOutside && !isWithin(links.inside, real)) {
    throw new FileAccessError(
      file,
      `${what} resolves to ${real}, outside the folder ${links.inside}; files a model folder names must be inside it (copy the file into the folder, or allow files outside the folder explicitly)`,
    );
  }
  // The real path has no link left in it: open it without following one, so a link swapped in since is refused.
  return real;
}

/**
 * Opens `file` for reading and checks the opened descriptor: a regular file of at most `maxBytes`.
 * Opening never blocks (a FIFO is opened non-blocking, then refused). The caller closes the descriptor
 * (closeFile), or uses readRegularFile.
 */
export function openRegularFile(file: string, opts: OpenOptions): OpenedFile {
  const what = opts.what ?? 'file';
  const target = pathToOpen(file, opts.links, what);
  const noFollow = opts.links === 'follow' ? 0 : (fs.constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(target, fs.constants.O_RDONLY | noFollow | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileAccessError(file, `${what} is missing (no such file)`, true);
    if (code === 'ELOOP') throw new FileAccessError(file, `${what} is a symbolic link, not a regular file`);
    if (code === 'EISDIR') throw new FileAccessError(file, `${what} is a folder, not a file`);
    if (code === 'EACCES' || code === 'EPERM') throw new FileAccessError(file, `${what} cannot be read (permission denied)`);
    throw new FileAccessError(file, `${what} cannot be opened (${code ?? (e as Error).message})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FileAccessError(file, `${what} is ${fileKind(stat)}`);
    if (stat.size > opts.maxBytes) {
      throw new FileAccessError(file, `${what} has ${stat.size} bytes, more than the limit of ${opts.maxBytes}`);
    }
    return { path: file, fd, size: stat.size };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

export function closeFile(file: OpenedFile): void {
  fs.closeSync(file.fd);
}

/**
 * Fills `target` with the bytes of `file` from `position`, one bounded read at a time, feeding each
 * piece to `hash` when given. A file that ends early (it shrank since it was opened) is an error.
 */
export function readPieces(file: OpenedFile, position: number, target: Uint8Array, hash?: Hash): void {
  let done = 0;
  while (done < target.length) {
    const want = Math.min(READ_PIECE_BYTES, target.length - done);
    const n = fs.readSync(file.fd, target, done, want, position + done);
    if (n === 0) throw new FileAccessError(file.path, `ended after ${position + done} of ${file.size} bytes (the file shrank while being read)`);
    hash?.update(target.subarray(done, done + n));
    done += n;
  }
}

/**
 * The whole of a regular file (see openRegularFile for the checks). A file that grows while it is read (a
 * writer still at work) is refused rather than read in part.
 */
export function readRegularFile(file: string, opts: OpenOptions): Buffer {
  const opened = openRegularFile(file, opts);
  try {
    const data = Buffer.alloc(opened.size);
    readPieces(opened, 0, data);
    if (fs.readSync(opened.fd, Buffer.alloc(1), 0, 1, opened.size) !== 0) {
      throw new FileAccessError(file, `grew while being read (it had ${opened.size} bytes when opened): a program is still writing it; read it once it is complete`);
    }
    return data;
  } finally {
    closeFile(opened);
  }
}
