import * as fs from 'fs';
import { DataError } from './data_error';
import { CsvOptions, CsvTable, parseCsv } from './csv';
import { DataRecord, parseJsonl } from './records';

/** Reads a UTF-8 data file; a missing file or a directory is a DataError naming the path. */
export function readDataFile(path: string, what = 'data file'): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch {
    throw new DataError(`${what} not found`, { file: path, fix: 'check the path (relative paths start at the experiment file\'s folder)' });
  }
  if (stat.isDirectory()) throw new DataError(`${what} is a directory, not a file`, { file: path, fix: 'give the path of a file' });
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`${what} cannot be read: ${(e as Error).message}`, { file: path, fix: 'check the file\'s permissions' });
  }
}

export function loadCsvFile(path: string, options: Omit<CsvOptions, 'file'> = {}): CsvTable {
  return parseCsv(readDataFile(path, 'CSV file'), { ...options, file: path });
}

export function loadJsonlFile(path: string): DataRecord[] {
  return parseJsonl(readDataFile(path, 'JSONL file'), path);
}
