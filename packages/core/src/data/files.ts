import { FileAccessError, readRegularFile } from '../saving/safe_files';
import { DataError } from './data_error';
import { CsvOptions, CsvTable, parseCsv } from './csv';
import { DataRecord, parseJsonl } from './records';

/**
 * Largest data file read whole: a JavaScript string holds at most about 2^29 characters, and a data
 * set this large is better fed to fit in batches (IndexedData) than read as text.
 */
export const MAX_DATA_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Reads a UTF-8 data file through one checked descriptor (a regular file within MAX_DATA_FILE_BYTES: a
 * folder, a FIFO or a device is refused before anything is read); problems are DataErrors naming the path.
 */
export function readDataFile(path: string, what = 'data file'): string {
  try {
    return readRegularFile(path, { maxBytes: MAX_DATA_FILE_BYTES, links: 'follow', what }).toString('utf8');
  } catch (e) {
    if (!(e instanceof FileAccessError)) throw e;
    const reason = e.reason.startsWith(`${what} `) ? e.reason.slice(what.length + 1) : e.reason;
    if (e.missing) {
      throw new DataError(`${what} not found`, { file: path, fix: 'check the path (relative paths start at the experiment file\'s folder)' });
    }
    if (/^is a folder/.test(reason)) throw new DataError(`${what} is a directory, not a file`, { file: path, fix: 'give the path of a file' });
    if (/more than the limit/.test(reason)) {
      throw new DataError(`${what} ${reason}`, { file: path, fix: 'split the data into smaller files, or feed it to fit in batches (IndexedData)' });
    }
    throw new DataError(`${what} ${reason}`, { file: path, fix: 'give the path of a regular file you can read' });
  }
}

export function loadCsvFile(path: string, options: Omit<CsvOptions, 'file'> = {}): CsvTable {
  return parseCsv(readDataFile(path, 'CSV file'), { ...options, file: path });
}

export function loadJsonlFile(path: string): DataRecord[] {
  return parseJsonl(readDataFile(path, 'JSONL file'), path);
}
