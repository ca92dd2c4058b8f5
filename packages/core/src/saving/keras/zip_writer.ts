/**
 * Writing a zip archive. Entries are stored (uncompressed) by default, as Python's zipfile writes a Keras
 * `.keras` file: weights barely compress, and stored entries let Keras open model.weights.h5 in place.
 */
import * as zlib from 'zlib';
import { crc32 } from './crc32';

export interface ZipFileToWrite {
  name: string;
  data: Uint8Array;
}

/** MS-DOS date and time fields of a zip header (two-second resolution, local time as zip tools read it). */
function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

export interface ZipWriteOptions {
  /** Deflate the entries instead of storing them. */
  deflate?: boolean;
  modified?: Date;
}

/** A zip archive holding `files` in this order. Names must be plain relative paths (checked by the caller). */
export function writeZip(files: readonly ZipFileToWrite[], opts: ZipWriteOptions = {}): Buffer {
  const modified = opts.modified ?? new Date();
  const method = opts.deflate ? 8 : 0;
  const { date, time } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const crc = crc32(f.data);
    const stored = opts.deflate ? zlib.deflateRawSync(f.data) : Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    if (f.data.byteLength >= 0xffffffff || offset >= 0xffffffff) throw new Error(`zip: ${f.name} would need zip64 (over 4 GiB), which is not written`);
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.byteLength, 18);
    local.writeUInt32LE(f.data.byteLength, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    name.copy(local, 30);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.byteLength, 20);
    central.writeUInt32LE(f.data.byteLength, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    name.copy(central, 46);
    locals.push(local, stored);
    centrals.push(central);
    offset += local.length + stored.byteLength;
  }
  const cdSize = centrals.reduce((s, c) => s + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
