import { ConfigError } from '../../config/config_error';
import { ZipArchive, unsafeEntryName, type ZipLimits } from './zip_reader';
import { writeZip } from './zip_writer';

const limits: ZipLimits = { maxEntries: 16, maxEntryBytes: 64 << 20, maxTotalBytes: 64 << 20, maxRatio: 200 };
const text = (s: string) => Buffer.from(s, 'utf8');

function problem(data: Buffer, at = 'a.zip', within: Partial<ZipLimits> = {}, entry?: string): string {
  try {
    const zip = ZipArchive.read(data, at, { ...limits, ...within });
    if (entry !== undefined) zip.get(entry);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the archive to be refused');
}

/** Offsets of the local and central headers of the first entry of a one-entry archive. */
function headers(zip: Buffer): { local: number; central: number } {
  return { local: 0, central: zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) };
}

describe('zip archives', () => {
  test('stored and deflated entries round-trip, names in UTF-8', () => {
    for (const deflate of [false, true]) {
      const zip = writeZip([{ name: 'config.json', data: text('{"a": 1}') }, { name: 'dir/données.bin', data: new Uint8Array(5000).fill(7) }], { deflate });
      const read = ZipArchive.read(zip, 'x.keras', limits);
      expect(read.entries.map((e) => [e.name, e.method])).toEqual([['config.json', deflate ? 8 : 0], ['dir/données.bin', deflate ? 8 : 0]]);
      expect(read.get('config.json').toString()).toBe('{"a": 1}');
      expect(read.get('dir/données.bin')).toEqual(Buffer.alloc(5000, 7));
      expect(read.has('missing')).toBe(false);
      expect(() => read.get('missing')).toThrow(/the archive has no file missing/);
    }
  });

  test('entry names that leave the archive are refused', () => {
    expect(['../evil', 'a/../../evil', '/etc/passwd', 'C:/x', 'a\\b', 'a//b', './a', ''].map(unsafeEntryName).every((r) => r !== null)).toBe(true);
    expect(unsafeEntryName('assets/vocab.txt')).toBeNull();
    expect(unsafeEntryName('assets/')).toBeNull();
    const zip = writeZip([{ name: 'config.json', data: text('{}') }, { name: '../../outside.sh', data: text('rm -rf /') }]);
    expect(problem(zip)).toMatch(/a\.zip: 1 problem\n {2}- entry "\.\.\/\.\.\/outside\.sh": refused: a "\.\." segment \(path traversal\)/);
  });

  test('zip bombs: sizes above the limits, extreme ratios, and headers that understate the size', () => {
    const zeros = new Uint8Array(8 << 20);
    const bomb = writeZip([{ name: 'model.weights.h5', data: zeros }], { deflate: true });
    expect(bomb.length).toBeLessThan(20_000);
    expect(problem(bomb)).toMatch(/entry model\.weights\.h5: expands \d+ bytes to 8388608, more than 200 times \(a zip bomb\?\)/);
    expect(problem(bomb, 'a.zip', { maxRatio: 10_000, maxEntryBytes: 1 << 20 })).toMatch(/declares 8388608 bytes, more than the limit of 1048576/);
    expect(problem(bomb, 'a.zip', { maxRatio: 10_000, maxTotalBytes: 1 << 20 })).toMatch(/the entries declare more than 1048576 bytes in all/);
    // The same entry claiming to hold 1000 bytes: inflating stops at the declared size.
    const liar = Buffer.from(bomb);
    const { local, central } = headers(liar);
    liar.writeUInt32LE(1000, local + 22);
    liar.writeUInt32LE(1000, central + 24);
    expect(problem(liar, 'a.zip', {}, 'model.weights.h5')).toMatch(/inflates to more than its declared 1000 bytes \(a zip bomb\?\)/);
  });

  test('damaged, duplicated, overlapping, linked and encrypted entries', () => {
    expect(problem(text('not a zip at all'))).toMatch(/not a zip archive/);
    const zip = writeZip([{ name: 'config.json', data: text('{"x": 1}') }]);
    expect(problem(zip.subarray(0, zip.length - 5))).toMatch(/not a zip archive/);
    const flipped = Buffer.from(zip);
    flipped[30 + 'config.json'.length + 2] ^= 0xff;
    expect(problem(flipped, 'a.zip', {}, 'config.json')).toMatch(/its CRC-32 does not match/);
    const twice = writeZip([{ name: 'a', data: text('1') }, { name: 'a', data: text('2') }]);
    expect(problem(twice)).toMatch(/entry "a": the name appears twice/);
    const link = Buffer.from(zip);
    link.writeUInt32LE((0o120777 << 16) >>> 0, headers(link).central + 38);
    expect(problem(link)).toMatch(/refused: not a regular file or folder \(a link or a device\)/);
    const encrypted = Buffer.from(zip);
    encrypted.writeUInt16LE(0x801, headers(encrypted).central + 8);
    expect(problem(encrypted)).toMatch(/encrypted entries are not supported/);
    // Two central entries pointing at the same local header.
    const two = writeZip([{ name: 'a', data: text('1') }, { name: 'b', data: text('2') }]);
    const secondCentral = two.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    two.writeUInt32LE(0, secondCentral + 42);
    expect(problem(two)).toMatch(/its local header names another file|overlap/);
    expect(problem(zip, 'a.zip', { maxEntries: 0 })).toMatch(/holds 1 entries, more than the limit of 0/);
  });
});
