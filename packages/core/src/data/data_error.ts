/**
 * The error every data utility throws for bad input: it names where the problem is (file, line, column
 * or field) and how to fix it, so a command line can print it as is.
 */
export interface DataErrorDetails {
  /** The file (or bundled dataset) the problem is in. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** Column or field name, when the problem is in one. */
  field?: string;
  /** What to do about it. */
  fix?: string;
}

export class DataError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly fix?: string;
  /** The problem alone, without the location and the fix. */
  readonly problem: string;

  constructor(problem: string, details: DataErrorDetails = {}) {
    super(formatDataError(problem, details));
    this.name = 'DataError';
    this.problem = problem;
    this.file = details.file;
    this.line = details.line;
    this.field = details.field;
    this.fix = details.fix;
  }
}

function formatDataError(problem: string, { file, line, field, fix }: DataErrorDetails): string {
  let where = '';
  if (file !== undefined) where = line !== undefined ? `${file}:${line}` : file;
  else if (line !== undefined) where = `line ${line}`;
  if (field !== undefined) where = where ? `${where} (${field})` : field;
  const head = where ? `${where}: ${problem}` : problem;
  return fix ? `${head}\n  fix: ${fix}` : head;
}
