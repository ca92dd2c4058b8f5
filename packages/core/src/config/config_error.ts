/** One problem found in a config: where it is and what is wrong there. */
export interface ConfigIssue {
  /** Path inside the document, e.g. `layers[2].config.units` ('' for the document itself). */
  path: string;
  /** What was expected and what was found, e.g. `expected a positive integer, got -3`. */
  message: string;
}

/** Formats one issue as the single line shown to the user. */
export function formatIssue(issue: ConfigIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/**
 * Every problem of a config at once: validation collects all issues first, then throws one ConfigError,
 * so a user fixes a file in one pass instead of one error per run.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  /** What was being read (a file name or 'model config'), repeated in the message. */
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${source}: ${count}\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.source = source;
    this.issues = issues;
  }
}

/** Accumulates issues while a document is walked; `throwIfAny` ends the pass. */
export class IssueCollector {
  readonly issues: ConfigIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  throwIfAny(source: string): void {
    if (this.issues.length > 0) throw new ConfigError(source, this.issues);
  }
}
