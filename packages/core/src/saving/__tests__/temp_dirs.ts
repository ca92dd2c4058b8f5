import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A maker of temporary folders for one test file; every folder it made is removed after the file's tests. */
export function temporaryFolders(prefix: string): () => string {
  const created: string[] = [];
  afterAll(() => created.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    created.push(dir);
    return dir;
  };
}
