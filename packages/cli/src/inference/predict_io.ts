import * as fs from 'fs';
import { CsvTable, DataRecord, csvRecords, parseCsv, parseJsonl, readDataFile, setOwn } from '@recurrent/core';
import { UsageError } from '../errors';

export type TableFormat = 'jsonl' | 'csv';

/** Input format from the option, else the file extension, else the first character of the text. */
export function detectFormat(file: string, text: string, option?: string): TableFormat {
  if (option !== undefined) {
    if (option !== 'jsonl' && option !== 'csv') throw new UsageError(`unknown format '${option}'`, "use 'jsonl' or 'csv'");
    return option;
  }
  if (/\.(csv|tsv)$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(file)) return 'jsonl';
  return text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

/** Reads the whole input (a file, or '-' for standard input). */
export function readInput(file: string): string {
  if (file === '-') return fs.readFileSync(0, 'utf8');
  if (!fs.existsSync(file)) throw new UsageError(`input file not found: ${file}`, "check the path, or pass '-' to read standard input");
  return readDataFile(file, 'input file');
}

export function inputName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

/** Input rows as records (JSON Lines objects, or CSV rows keyed by the header). */
export function inputRecords(file: string, format?: string): DataRecord[] {
  const text = readInput(file);
  const name = inputName(file);
  return detectFormat(file, text, format) === 'csv' ? csvRecords(parseCsv(text, { file: name })) : parseJsonl(text, name);
}

/** Input rows as a table (CSV as is; JSON Lines with the keys of the first object as columns). */
export function inputTable(file: string, format?: string): CsvTable {
  const text = readInput(file);
  const name = inputName(file);
  if (detectFormat(file, text, format) === 'csv') return parseCsv(text, { file: name });
  const records = parseJsonl(text, name);
  const columns = records.length > 0 ? Object.keys(records[0].value) : [];
  return {
    file: name,
    columns,
    rows: records.map((r) => ({ line: r.line, cells: columns.map((c) => (r.value[c] === undefined || r.value[c] === null ? '' : String(r.value[c]))) })),
  };
}

/** Flattens nested objects into `a.b` keys and arrays into space-joined text, for CSV cells. */
export function flattenRow(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flattenRow(v as Record<string, unknown>, key));
    else if (Array.isArray(v)) setOwn(out, key, v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(' '));
    else setOwn(out, key, v === null || v === undefined ? '' : String(v));
  }
  return out;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text: the header is the union of keys in order of appearance. */
export function rowsToCsv(rows: Record<string, unknown>[]): string {
  const flat = rows.map((r) => flattenRow(r));
  const columns: string[] = [];
  for (const row of flat) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  const lines = [columns.map(csvCell).join(',')];
  for (const row of flat) lines.push(columns.map((c) => csvCell(row[c] ?? '')).join(','));
  return lines.join('\n') + '\n';
}

export function rowsToJsonl(rows: Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
}

/** Output format from the option, else the output file's extension, else JSON Lines. */
export function outputFormat(file: string, option?: string): TableFormat {
  if (option !== undefined) return detectFormat(file, '', option);
  return /\.(csv|tsv)$/i.test(file) ? 'csv' : 'jsonl';
}
