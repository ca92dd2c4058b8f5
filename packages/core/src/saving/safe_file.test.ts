import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../config/config_error';
import { temporaryFolders } from './__tests__/temp_dirs';
import { readRegularFile } from './safe_file';

const tempDir = temporaryFolders('recurrent-safe-file-');

function refusal(file: string, max = 1000): string {
  try {
    readRegularFile(file, max, 'a Keras file');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('readRegularFile', () => {
  test('reads a regular file whole, within its bound', () => {
    const file = path.join(tempDir(), 'm.keras');
    fs.writeFileSync(file, 'twelve bytes');
    expect(readRegularFile(file, 12, 'a Keras file').toString()).toBe('twelve bytes');
    expect(refusal(file, 11)).toMatch(/m\.keras: 1 problem\n {2}- is 12 bytes, more than the limit of 11/);
  });

  test('refuses what is not a regular file, and a missing one, without blocking', () => {
    const dir = tempDir();
    expect(refusal(path.join(dir, 'absent.keras'))).toMatch(/no such file; expected a Keras file/);
    const folder = path.join(dir, 'folder.keras');
    fs.mkdirSync(folder);
    expect(refusal(folder)).toMatch(/is not a regular file \(a folder\)/);
    // A FIFO would block a plain open until a writer came; it is refused at once.
    const fifo = path.join(dir, 'pipe.keras');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(fifo)).toMatch(/is not a regular file \(a device, FIFO or socket\)/);
  });
});
