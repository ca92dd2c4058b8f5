import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FaultInjector, countPoints, withFaults } from '../__tests__/fs_faults';
import { currentGeneration, readRegularFile, removeBackupFolder, writeGeneration, type FileToWrite } from './backup_folder';

let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-generations-'))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function generation(tag: string): FileToWrite[] {
  return [
    { name: 'weights.bin', data: Buffer.alloc(1000, tag) },
    { name: 'state.json', data: JSON.stringify({ tag }) },
  ];
}

/** The tag of the generation to resume from, after checking it is complete; null when there is none. */
function readTag(dir: string): string | null {
  const g = currentGeneration(dir);
  if (g === null) return null;
  const { tag } = JSON.parse(fs.readFileSync(path.join(g, 'state.json'), 'utf8')) as { tag: string };
  expect(fs.readFileSync(path.join(g, 'weights.bin')).equals(Buffer.alloc(1000, tag))).toBe(true);
  return tag;
}

describe('backup generations', () => {
  it('a kill at any point of a first write, a replacing write or a removal leaves the old state or the new one', async () => {
    const dir = path.join(root, 'backup');
    const scenarios: { name: string; setup: () => void; action: () => void; before: string | null; after: string | null }[] = [
      { name: 'first write', setup: () => undefined, action: () => writeGeneration(dir, generation('a')), before: null, after: 'a' },
      { name: 'replacing write', setup: () => writeGeneration(dir, generation('a')), action: () => writeGeneration(dir, generation('b')), before: 'a', after: 'b' },
      { name: 'removal', setup: () => writeGeneration(dir, generation('a')), action: () => removeBackupFolder(dir), before: 'a', after: null },
    ];
    for (const s of scenarios) {
      fs.rmSync(root, { recursive: true, force: true });
      fs.mkdirSync(root);
      s.setup();
      const points = countPoints(s.action);
      expect(points.length).toBeGreaterThan(s.name === 'removal' ? 1 : 8);
      for (let i = 0; i < points.length; i++) {
        fs.rmSync(root, { recursive: true, force: true });
        fs.mkdirSync(root);
        s.setup();
        const fired = await withFaults(new FaultInjector(i), s.action);
        expect([s.name, i, fired]).toEqual([s.name, i, true]);
        const found = readTag(dir);
        expect([s.name, points[i], found === s.before || found === s.after]).toEqual([s.name, points[i], true]);
        // The next write succeeds and leaves nothing of the interrupted one behind.
        writeGeneration(dir, generation('c'));
        expect(readTag(dir)).toBe('c');
        expect(fs.readdirSync(dir)).toEqual(['latest']);
        expect(fs.readdirSync(root)).toEqual(['backup']);
      }
    }
  });

  it('reads regular files only, of the recorded size', () => {
    const file = path.join(root, 'a.bin');
    fs.writeFileSync(file, Buffer.alloc(10));
    expect(readRegularFile(file, 100, 10)).toHaveLength(10);
    expect(() => readRegularFile(file, 100, 12)).toThrow(/a\.bin has 10 bytes, but the backup recorded 12: it was truncated or replaced/);
    expect(() => readRegularFile(file, 5)).toThrow(/more than the limit of 5/);
    fs.symlinkSync(file, path.join(root, 'link.bin'));
    expect(() => readRegularFile(path.join(root, 'link.bin'), 100)).toThrow(/link\.bin: the backup file is a symbolic link/);
    expect(() => readRegularFile(root, 100)).toThrow(/the backup file is a folder, not a file/);
    expect(() => readRegularFile(path.join(root, 'missing.bin'), 100)).toThrow(/missing\.bin: the backup file is missing/);
  });
});
