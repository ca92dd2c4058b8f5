/**
 * Reading a zip archive (a Keras `.keras` file) held in memory, refusing anything unsafe before inflating a
 * byte: entry names that climb out of the archive (`../x`, `/etc/x`, `C:\x`), links, duplicate names,
 * encrypted or multi-disk or zip64 archives, entries that overlap or run past the central directory, and
 * zip bombs (declared sizes above the limits or expanding more than `maxRatio` times). An entry is
 * inflated with an output bound equal to its declared size, so a lying header cannot make it larger, and
 * its CRC-32 is checked. Only stored and deflated entries exist in practice (Keras stores).
 */
import * as zlib from 'zlib';
import { ConfigError } from '../../config/config_error';
import { crc32 } from './crc32';

export interface ZipLimits {
  /** Most entries accepted in the archive. */
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed / compressed ratio of an entry above 1 MiB. */
  maxRatio: number;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  isDirectory: boolean;
  localHeaderOffset: number;
  /** Where the entry's data starts (after its local header). */
  dataOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const RATIO_CHECKED_ABOVE = 1 << 20;

/** Why an entry name is unsafe to honour, or null. */
export function unsafeEntryName(name: string): string | null {
  if (name === '') return 'an empty name';
  if (name.includes('\0')) return 'a NUL character in the name';
  if (name.includes('\\')) return 'a backslash in the name (a Windows path)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..')) return 'a ".." segment (path traversal)';
  if (segments.some((s) => s === '' || s === '.')) return 'an empty or "." segment';
  return null;
}

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(private readonly data: Uint8Array, readonly source: string, readonly entries: ZipEntry[]) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  private static fail(source: string, message: string, path = ''): never {
    throw new ConfigError(source, [{ path, message }]);
  }

  /** Parses and checks the whole directory of an archive (no entry is inflated yet). */
  static read(data: Uint8Array, source: string, limits: ZipLimits): ZipArchive {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const fail = (message: string, path = ''): never => ZipArchive.fail(source, message, path);
    // The end-of-central-directory record is the last thing in the file, followed only by its comment.
    let eocd = -1;
    for (let i = data.byteLength - 22; i >= Math.max(0, data.byteLength - 22 - 0xffff); i--) {
      if (view.getUint32(i, true) === EOCD_SIGNATURE && i + 22 + view.getUint16(i + 20, true) === data.byteLength) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('not a zip archive (no end-of-central-directory record); a .keras file is a zip archive');
    if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE) fail('a zip64 archive (over 4 GiB or 65535 entries) is not supported');
    const disk = view.getUint16(eocd + 4, true);
    const cdDisk = view.getUint16(eocd + 6, true);
    const onDisk = view.getUint16(eocd + 8, true);
    const count = view.getUint16(eocd + 10, true);
    const cdSize = view.getUint32(eocd + 12, true);
    const cdOffset = view.getUint32(eocd + 16, true);
    if (disk !== 0 || cdDisk !== 0 || onDisk !== count) fail('a multi-disk (split) archive is not supported');
    if (count > limits.maxEntries) fail(`holds ${count} entries, more than the limit of ${limits.maxEntries}`);
    if (cdOffset + cdSize > eocd) fail('the central directory runs past its end record (a damaged archive)');
    const entries: ZipEntry[] = [];
    const names = new Set<string>();
    let total = 0;
    let p = cdOffset;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cdOffset + cdSize || view.getUint32(p, true) !== CENTRAL_SIGNATURE) fail(`central directory entry ${k} is damaged`);
      const madeBy = view.getUint16(p + 4, true);
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      const crc = view.getUint32(p + 16, true);
      const compressedSize = view.getUint32(p + 20, true);
      const size = view.getUint32(p + 24, true);
      const nameLength = view.getUint16(p + 28, true);
      const extraLength = view.getUint16(p + 30, true);
      const commentLength = view.getUint16(p + 32, true);
      const external = view.getUint32(p + 38, true);
      const localHeaderOffset = view.getUint32(p + 42, true);
      const end = p + 46 + nameLength + extraLength + commentLength;
      if (end > cdOffset + cdSize) fail(`central directory entry ${k} runs past the directory`);
      const rawName = data.subarray(p + 46, p + 46 + nameLength);
      const name = Buffer.from(rawName).toString(flags & 0x800 ? 'utf8' : 'latin1');
      p = end;
      const unsafe = unsafeEntryName(name);
      if (unsafe) fail(`refused: ${unsafe}`, `entry ${JSON.stringify(name)}`);
      if (names.has(name)) fail('the name appears twice', `entry ${JSON.stringify(name)}`);
      names.add(name);
      if (flags & 0x1) fail('encrypted entries are not supported', `entry ${name}`);
      if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) fail('zip64 sizes are not supported', `entry ${name}`);
      const unixMode = madeBy >> 8 === 3 ? external >>> 16 : 0;
      const fileType = unixMode & 0xf000;
      if (fileType !== 0 && fileType !== 0x8000 && fileType !== 0x4000) fail('refused: not a regular file or folder (a link or a device)', `entry ${name}`);
      if (method !== 0 && method !== 8) fail(`compression method ${method} is not supported (stored and deflated are)`, `entry ${name}`);
      if (method === 0 && size !== compressedSize) fail('a stored entry whose sizes differ', `entry ${name}`);
      if (size > limits.maxEntryBytes) fail(`declares ${size} bytes, more than the limit of ${limits.maxEntryBytes}`, `entry ${name}`);
      if (size > RATIO_CHECKED_ABOVE && size > compressedSize * limits.maxRatio) {
        fail(`expands ${compressedSize} bytes to ${size}, more than ${limits.maxRatio} times (a zip bomb?)`, `entry ${name}`);
      }
      total += size;
      if (total > limits.maxTotalBytes) fail(`the entries declare more than ${limits.maxTotalBytes} bytes in all`);
      if (localHeaderOffset + 30 > cdOffset || view.getUint32(localHeaderOffset, true) !== LOCAL_SIGNATURE) fail('its local header is missing or damaged', `entry ${name}`);
      const localNameLength = view.getUint16(localHeaderOffset + 26, true);
      const localExtraLength = view.getUint16(localHeaderOffset + 28, true);
      const localName = data.subarray(localHeaderOffset + 30, localHeaderOffset + 30 + localNameLength);
      if (Buffer.compare(Buffer.from(localName), Buffer.from(rawName)) !== 0) fail('its local header names another file', `entry ${name}`);
      const dataOffset = localHeaderOffset + 30 + localNameLength + localExtraLength;
      if (dataOffset + compressedSize > cdOffset) fail('its data runs into the central directory (a damaged archive)', `entry ${name}`);
      entries.push({ name, method, compressedSize, size, crc32: crc, isDirectory: name.endsWith('/'), localHeaderOffset, dataOffset });
    }
    // Entries sharing bytes are how some zip bombs multiply themselves: every entry has bytes of its own.
    const ordered = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1];
      if (prev.dataOffset + prev.compressedSize > ordered[i].localHeaderOffset) fail(`entries ${prev.name} and ${ordered[i].name} overlap`);
    }
    return new ZipArchive(data, source, entries);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** An entry's contents, inflated within its declared size and checked against its CRC-32. */
  get(name: string): Buffer {
    const entry = this.byName.get(name);
    if (!entry || entry.isDirectory) ZipArchive.fail(this.source, `the archive has no file ${name}`);
    const raw = this.data.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    let out: Buffer;
    if (entry.method === 0) {
      out = Buffer.from(raw);
    } else {
      try {
        // One byte of room beyond the declared size: filling it means the header lied.
        out = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size + 1) });
      } catch (e) {
        const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
        ZipArchive.fail(this.source, tooLarge ? `inflates to more than its declared ${entry.size} bytes (a zip bomb?)` : `cannot be inflated: ${(e as Error).message}`, `entry ${name}`);
      }
    }
    if (out.byteLength !== entry.size) ZipArchive.fail(this.source, `holds ${out.byteLength} bytes, not the ${entry.size} its header declares`, `entry ${name}`);
    if (crc32(out) !== entry.crc32) ZipArchive.fail(this.source, 'its CRC-32 does not match (a damaged archive)', `entry ${name}`);
    return out;
  }
}
