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

interface CommonFields {
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  nameLength: number;
}

/** version needed (2.0), flags (UTF-8 names), method, time, date, CRC-32, sizes, name length; 26 bytes from `at`. */
function writeCommonFields(header: Buffer, at: number, f: CommonFields): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x800, at + 2);
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(f.time, at + 6);
  header.writeUInt16LE(f.date, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressedSize, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
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
    // The local and central headers share a run of fields, from "version needed" to the name's length.
    const common = { method, time, date, crc, compressedSize: stored.byteLength, size: f.data.byteLength, nameLength: name.length };
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommonFields(local, 4, common);
    name.copy(local, 30);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: unix, 2.0
    writeCommonFields(central, 6, common);
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
