/** A scratch folder for files a check writes and reads back, removed however the check ends. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-layer-test-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
