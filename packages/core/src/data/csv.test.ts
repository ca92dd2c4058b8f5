import { DataError } from './data_error';
import { columnIndex, csvRecords, parseCsv, parseCsvRows } from './csv';

describe('parseCsvRows', () => {
  it('handles quoted delimiters, doubled quotes and newlines inside quotes', () => {
    const rows = parseCsvRows('a,"b, c","say ""hi"""\n"multi\nline",2,3\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b, c', 'say "hi"'] },
      { line: 2, cells: ['multi\nline', '2', '3'] },
    ]);
  });

  it('accepts CRLF, a byte-order mark, empty fields and skips blank lines', () => {
    const rows = parseCsvRows('\ufeffx,y\r\n\r\n1,\r\n,"" \n'.replace(' ', ''));
    expect(rows).toEqual([
      { line: 1, cells: ['x', 'y'] },
      { line: 3, cells: ['1', ''] },
      { line: 4, cells: ['', ''] },
    ]);
  });

  it('keeps a quote in the middle of an unquoted field as text', () => {
    expect(parseCsvRows('5" disk,1')[0].cells).toEqual(['5" disk', '1']);
  });

  it('uses tabs for .tsv files and a given delimiter', () => {
    expect(parseCsvRows('a\tb', { file: 'x.tsv' })[0].cells).toEqual(['a', 'b']);
    expect(parseCsvRows('a;b', { delimiter: ';' })[0].cells).toEqual(['a', 'b']);
  });

  it('names the line of an unterminated quote', () => {
    expect(() => parseCsvRows('a,b\n1,"open\n2,3\n', { file: 'f.csv' })).toThrow(/f\.csv:2: a quoted field is never closed/);
  });

  it('names the line of text after a closing quote', () => {
    expect(() => parseCsvRows('a\n"x"y,1', { file: 'f.csv' })).toThrow(/f\.csv:2: unexpected "y" after a closing quote/);
  });
});

describe('parseCsv', () => {
  it('reads the header and checks every row has as many fields', () => {
    const table = parseCsv('date, value\n2020-01-01,1\n2020-01-02,2\n', { file: 's.csv' });
    expect(table.columns).toEqual(['date', 'value']);
    expect(table.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(csvRecords(table)[1].value).toEqual(Object.assign(Object.create(null), { date: '2020-01-02', value: '2' }));
    expect(() => parseCsv('a,b\n1,2\n3\n', { file: 's.csv' })).toThrow(/s\.csv:3: this row has 1 fields but the header has 2/);
  });

  it('rejects an empty file and duplicate column names', () => {
    expect(() => parseCsv('', { file: 'e.csv' })).toThrow(/e\.csv: the file is empty/);
    expect(() => parseCsv('a,a\n', { file: 'd.csv' })).toThrow(/appears twice/);
  });

  it('suggests the nearest column for an unknown one', () => {
    const table = parseCsv('year,births\n1,2\n', { file: 'b.csv' });
    expect(columnIndex(table, 'births')).toBe(1);
    let error: unknown;
    try {
      columnIndex(table, 'birth');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/b\.csv: unknown column 'birth' \(did you mean 'births'\?\)/);
    expect((error as DataError).fix).toMatch(/year, births/);
  });
});
