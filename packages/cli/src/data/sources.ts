import * as path from 'path';
import {
  CsvTable,
  DataRecord,
  csvRecords,
  loadBundledRecords,
  loadBundledTable,
  loadBundledText,
  loadCsvFile,
  loadJsonlFile,
  readDataFile,
  shuffledIndices,
} from '@recurrent/core';

/** Where a data section's examples come from: a file (absolute path) or a bundled dataset. */
export interface DataSource {
  path?: string;
  dataset?: string;
}

/** The name shown in messages: the file, or dataset:<name>. */
export function sourceName(source: DataSource): string {
  return source.path ?? `dataset:${source.dataset}`;
}

/** Resolves a data section's relative path against the experiment's folder. */
export function resolveSource(section: DataSource, baseDir: string): DataSource {
  return section.path !== undefined ? { path: path.resolve(baseDir, section.path) } : { dataset: section.dataset };
}

/** A text corpus, cut to its first `limit` characters. */
export function loadText(source: DataSource, limit?: number): string {
  const text = source.path !== undefined ? readDataFile(source.path, 'text file') : loadBundledText(source.dataset as string);
  return limit !== undefined ? text.slice(0, limit) : text;
}

/** Records from a JSONL file, a CSV/TSV file (one record per row) or a bundled dataset. With a
 * limit, a seeded random subset of that size (bundled datasets are often sorted by label). */
export function loadRecords(source: DataSource, limit?: number, seed?: number): DataRecord[] {
  let records: DataRecord[];
  if (source.path !== undefined) {
    records = /\.(csv|tsv)$/i.test(source.path) ? csvRecords(loadCsvFile(source.path)) : loadJsonlFile(source.path);
  } else {
    records = loadBundledRecords(source.dataset as string);
  }
  if (limit === undefined || limit >= records.length) return records;
  if (seed === undefined) return records.slice(0, limit);
  const order = shuffledIndices(records.length, seed).slice(0, limit).sort();
  return Array.from(order, (i) => records[i]);
}

/** A CSV table (file or bundled), cut to its first `limit` rows. */
export function loadTable(source: DataSource, delimiter?: string, limit?: number): CsvTable {
  const table = source.path !== undefined ? loadCsvFile(source.path, { delimiter }) : loadBundledTable(source.dataset as string);
  return limit !== undefined ? { ...table, rows: table.rows.slice(0, limit) } : table;
}
