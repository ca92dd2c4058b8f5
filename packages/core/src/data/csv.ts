import { DataError } from './data_error';
import { didYouMean } from './nearest_name';

export interface CsvOptions {
  /** Field separator (default ','; ',' or '\t' guessed from a .tsv name when `file` is given). */
  delimiter?: string;
  /** Name used in error messages. */
  file?: string;
  /** First row holds the column names (default true). */
  header?: boolean;
}

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  columns: string[];
  rows: CsvRow[];
}

/**
 * Splits CSV text into rows of fields (RFC 4180): quoted fields may hold the delimiter, newlines and
 * doubled quotes (""); CRLF, LF and a leading byte-order mark are accepted; blank lines are skipped.
 * Throws a DataError naming the line of an unterminated quote or of text after a closing quote.
 */
export function parseCsvRows(text: string, options: CsvOptions = {}): CsvRow[] {
  const file = options.file;
  const delimiter = options.delimiter ?? (file !== undefined && /\.tsv$/i.test(file) ? '\t' : ',');
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`parseCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let rowLine = 1;
  let cells: string[] = [];
  let field = '';
  let atFieldStart = true; // nothing read yet for the current field
  let rowStarted = false; // distinguishes a blank line from a row of one empty field
  const endRow = () => {
    if (rowStarted) {
      cells.push(field);
      rows.push({ line: rowLine, cells });
    }
    cells = [];
    field = '';
    atFieldStart = true;
    rowStarted = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (!rowStarted) rowLine = line;
    if (c === '"' && atFieldStart) {
      const quoteLine = line;
      rowStarted = true;
      atFieldStart = false;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw new DataError('a quoted field is never closed', {
            file,
            line: quoteLine,
            fix: 'close the field with a double quote; write a quote inside a quoted field as two quotes ("")',
          });
        }
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (i < text.length && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new DataError(`unexpected ${JSON.stringify(next)} after a closing quote`, {
          file,
          line,
          fix: 'a quoted field must end right before a delimiter or the end of the line; double any quote inside it ("")',
        });
      }
      continue;
    }
    if (c === delimiter) {
      cells.push(field);
      field = '';
      atFieldStart = true;
      rowStarted = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    rowStarted = true;
    atFieldStart = false;
    field += c;
    i++;
  }
  endRow();
  return rows;
}

/** Parses CSV text with a header row into a table; every row must have as many fields as the header. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const file = options.file ?? '<csv>';
  const rows = parseCsvRows(text, { ...options, file });
  if (options.header === false) {
    const width = rows[0]?.cells.length ?? 0;
    checkWidths(rows, width, file, 'the first row');
    return { file, columns: Array.from({ length: width }, (_, k) => `column_${k}`), rows };
  }
  if (rows.length === 0) throw new DataError('the file is empty', { file, fix: 'give a CSV file whose first line names the columns' });
  const [header, ...body] = rows;
  const columns = header.cells.map((c) => c.trim());
  const seen = new Set<string>();
  columns.forEach((name, k) => {
    if (seen.has(name)) {
      throw new DataError(`column name '${name}' appears twice in the header (field ${k + 1})`, {
        file,
        line: header.line,
        fix: 'give every column a unique name',
      });
    }
    seen.add(name);
  });
  checkWidths(body, columns.length, file, 'the header');
  return { file, columns, rows: body };
}

function checkWidths(rows: CsvRow[], width: number, file: string, reference: string): void {
  for (const row of rows) {
    if (row.cells.length !== width) {
      throw new DataError(`this row has ${row.cells.length} fields but ${reference} has ${width}`, {
        file,
        line: row.line,
        fix: 'give every row the same number of fields; quote fields that contain the delimiter ("a, b")',
      });
    }
  }
}

/** Index of a column, or a DataError naming the nearest column name. */
export function columnIndex(table: Pick<CsvTable, 'file' | 'columns'>, name: string, what = 'column'): number {
  const index = table.columns.indexOf(name);
  if (index < 0) {
    throw new DataError(`unknown ${what} '${name}'${didYouMean(name, table.columns)}`, {
      file: table.file,
      fix: `use one of the columns of the header: ${table.columns.join(', ')}`,
    });
  }
  return index;
}

/** The table's rows as objects keyed by column name (for record-style loaders). */
export function csvRecords(table: CsvTable): { file: string; line: number; value: Record<string, string> }[] {
  return table.rows.map((row) => {
    const value: Record<string, string> = Object.create(null);
    table.columns.forEach((c, k) => (value[c] = row.cells[k]));
    return { file: table.file, line: row.line, value };
  });
}
