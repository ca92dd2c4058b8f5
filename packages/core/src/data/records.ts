import { DataError } from './data_error';
import { didYouMean } from './nearest_name';
import { jsonSyntaxProblem } from '../config/json_position';

/** One example of a record-style dataset (a JSONL line, a CSV row or an item of a bundled dataset). */
export interface DataRecord {
  /** Where it comes from, for error messages. */
  file: string;
  /** 1-based line (or item number for bundled datasets). */
  line: number;
  value: Record<string, unknown>;
}

/**
 * Parses JSON Lines: one JSON object per line; blank lines are skipped. A line that is not valid
 * JSON, or not an object, is a DataError naming its line.
 */
export function parseJsonl(text: string, file = '<jsonl>'): DataRecord[] {
  const records: DataRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, k) => {
    const lineText = k === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      throw new DataError(`not valid JSON ${jsonSyntaxProblem(lineText, (e as Error).message).replace(/^at line 1, /, 'at ')}`, {
        file,
        line: k + 1,
        fix: 'write one complete JSON object per line (JSON Lines); a record must not span several lines',
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError(`expected a JSON object, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, {
        file,
        line: k + 1,
        fix: 'write each example as an object, e.g. {"text": "...", "label": "..."}',
      });
    }
    records.push({ file, line: k + 1, value: value as Record<string, unknown> });
  });
  return records;
}

/** The value of a field, or a DataError naming the record and the nearest existing field. */
export function recordField(record: DataRecord, field: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(record.value, field)) {
    const keys = Object.keys(record.value);
    throw new DataError(`no field '${field}'${didYouMean(field, keys)}`, {
      file: record.file,
      line: record.line,
      fix: `every record needs '${field}'; this one has: ${keys.join(', ') || '(no fields)'}`,
    });
  }
  return record.value[field];
}

/** A string field. */
export function recordText(record: DataRecord, field: string): string {
  const value = recordField(record, field);
  if (typeof value !== 'string') {
    throw new DataError(`field '${field}' must be a string, found ${describe(value)}`, {
      file: record.file,
      line: record.line,
      field,
      fix: 'give the text as a JSON string, or use a tokens field for lists of tokens',
    });
  }
  return value;
}

/** A list-of-tokens field (strings, or numbers taken as their text). */
export function recordTokens(record: DataRecord, field: string): string[] {
  const value = recordField(record, field);
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'string' || typeof t === 'number')) {
    throw new DataError(`field '${field}' must be an array of strings, found ${describe(value)}`, {
      file: record.file,
      line: record.line,
      field,
      fix: 'give tokens as a JSON array, e.g. ["the", "cat"], or use a text field',
    });
  }
  return value.map(String);
}

/** A label: a string, number or boolean. */
export type Label = string | number | boolean;

export function recordLabel(record: DataRecord, field: string): Label {
  const value = recordField(record, field);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new DataError(`label field '${field}' must be a string, number or boolean, found ${describe(value)}`, {
      file: record.file,
      line: record.line,
      field,
      fix: 'give one class label per record',
    });
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? text.slice(0, 37) + '...' : text}`;
}
