/**
 * One backup generation as a whole: state.json and its binary files, written in one step (backup_folder)
 * and read back verified (sizes, SHA-256, entries, ranges) before anything of it is used.
 */
import * as path from 'path';
import { currentGeneration, readRegularFile, writeGeneration } from './backup_folder';
import { BINARY_FILES, STATE_FILE, checkFile, parseStateFile, stateFileText, type BackupState, type BinaryFile } from './backup_manifest';

/** state.json holds positions, small states and the callbacks' JSON: far below this. */
const STATE_FILE_LIMIT = 256 * 1024 * 1024;
/** A Node.js Buffer holds at most this many bytes (binary files are read whole). */
const BINARY_FILE_LIMIT = 2 ** 31 - 1;

export interface LoadedBackup {
  /** The generation folder read. */
  generation: string;
  state: BackupState;
  binaries: Record<BinaryFile, Buffer>;
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export function saveBackup(dir: string, state: BackupState, binaries: Record<BinaryFile, Buffer>): void {
  writeGeneration(dir, [...BINARY_FILES.map((name) => ({ name, data: binaries[name] })), { name: STATE_FILE, data: stateFileText(state) }]);
}

/** The verified backup in `dir`, or null when it holds none; a damaged one throws a BackupError naming the file. */
export function loadBackup(dir: string): LoadedBackup | null {
  try {
    const generation = currentGeneration(dir);
    if (generation === null) return null;
    const stateFile = path.join(generation, STATE_FILE);
    const state = parseStateFile(readRegularFile(stateFile, STATE_FILE_LIMIT).toString('utf8'), stateFile);
    const binaries = {} as Record<BinaryFile, Buffer>;
    for (const name of BINARY_FILES) {
      const file = path.join(generation, name);
      const record = state.files[name];
      if (record.bytes > BINARY_FILE_LIMIT) throw new Error(`${stateFile}: ${name} is recorded as ${record.bytes} bytes, more than can be read at once (${BINARY_FILE_LIMIT}).`);
      const data = readRegularFile(file, BINARY_FILE_LIMIT, record.bytes);
      checkFile(data, record, file);
      binaries[name] = data;
    }
    return { generation, state, binaries };
  } catch (e) {
    throw e instanceof BackupError ? e : new BackupError((e as Error).message);
  }
}
