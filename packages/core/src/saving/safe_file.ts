/**
 * Reading a whole file the user named (a .keras or .h5 model): a regular file only (a FIFO, device or
 * folder is refused; the open does not block on a FIFO), with its type and size taken from the opened
 * descriptor, so the file checked is the file read, read within a byte bound, and refused if its size
 * changes while it is read.
 */
import * as fs from 'fs';
import { ConfigError } from '../config/config_error';

function fail(file: string, message: string): never {
  throw new ConfigError(file, [{ path: '', message }]);
}

export function readRegularFile(file: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(file, code === 'ENOENT' ? `no such file; expected ${what}` : `cannot be opened (${code ?? (e as Error).message})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) fail(file, `is not a regular file (${stat.isDirectory() ? 'a folder' : 'a device, FIFO or socket'}); expected ${what}`);
    if (stat.size > maxBytes) fail(file, `is ${stat.size} bytes, more than the limit of ${maxBytes}`);
    const data = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fs.readSync(fd, data, read, stat.size - read, read);
      if (n === 0) fail(file, `shrank while being read (expected ${stat.size} bytes)`);
      read += n;
    }
    if (fs.readSync(fd, Buffer.alloc(1), 0, 1, stat.size) !== 0) fail(file, `grew while being read (expected ${stat.size} bytes)`);
    return data;
  } finally {
    fs.closeSync(fd);
  }
}
