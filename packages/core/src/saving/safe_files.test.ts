import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { temporaryFolders } from './__tests__/temp_dirs';
import { FileAccessError, readRegularFile, type LinkPolicy } from './safe_files';

const tempDir = temporaryFolders('recurrent-safe-files-');

function refusal(file: string, max = 1000, links: LinkPolicy = 'follow'): string {
  try {
    readRegularFile(file, { maxBytes: max, links, what: 'the Keras file' });
  } catch (e) {
    expect(e).toBeInstanceOf(FileAccessError);
    expect((e as FileAccessError).file).toBe(file);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('readRegularFile', () => {
  test('reads a regular file whole, within its bound', () => {
    const file = path.join(tempDir(), 'm.keras');
    fs.writeFileSync(file, 'twelve bytes');
    expect(readRegularFile(file, { maxBytes: 12, links: 'follow' }).toString()).toBe('twelve bytes');
    expect(refusal(file, 11)).toMatch(/m\.keras: the Keras file has 12 bytes, more than the limit of 11$/);
  });

  test('refuses what is not a regular file, and a missing one, without blocking', () => {
    const dir = tempDir();
    expect(refusal(path.join(dir, 'absent.keras'))).toMatch(/the Keras file is missing \(no such file\)/);
    const folder = path.join(dir, 'folder.keras');
    fs.mkdirSync(folder);
    expect(refusal(folder)).toMatch(/the Keras file is a folder, not a file/);
    // A FIFO would block a plain open until a writer came; it is refused at once.
    const fifo = path.join(dir, 'pipe.keras');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(fifo)).toMatch(/the Keras file is a FIFO \(named pipe\), not a regular file/);
    const device = path.join(dir, 'zero.keras');
    fs.symlinkSync('/dev/zero', device);
    expect(refusal(device)).toMatch(/the Keras file is a device, not a regular file/);
  });

  test('links: refused, followed, or followed only inside a folder', () => {
    const dir = tempDir();
    const inside = path.join(dir, 'inside');
    fs.mkdirSync(inside);
    fs.writeFileSync(path.join(dir, 'outside.bin'), 'out');
    fs.writeFileSync(path.join(inside, 'real.bin'), 'in');
    fs.symlinkSync('real.bin', path.join(inside, 'near.bin'));
    fs.symlinkSync('../outside.bin', path.join(inside, 'far.bin'));
    const folder = { inside: fs.realpathSync(inside) };
    expect(readRegularFile(path.join(inside, 'near.bin'), { maxBytes: 10, links: folder }).toString()).toBe('in');
    expect(refusal(path.join(inside, 'far.bin'), 10, folder)).toMatch(/resolves to .*outside\.bin, outside the folder/);
    expect(readRegularFile(path.join(inside, 'far.bin'), { maxBytes: 10, links: { ...folder, allowOutside: true } }).toString()).toBe('out');
    expect(readRegularFile(path.join(inside, 'far.bin'), { maxBytes: 10, links: 'follow' }).toString()).toBe('out');
    expect(refusal(path.join(inside, 'near.bin'), 10, 'refuse')).toMatch(/is a symbolic link, not a regular file/);
  });
});
