/** One problem found in a config: where it is and what is wrong there. */
export interface ConfigIssue {
  /** Path inside the document, e.g. `layers[2].config.units` ('' for the document itself). */
  path: string;
  /** What was expected and what was found, e.g. `expected a positive integer, got -3`. */
  message: string;
}

/**
 * Bounds on what one error can hold and print, so that a crafted document (a shape of millions of
 * zeros, millions of bad layers) costs a short message and little memory, not gigabytes.
 */
export const ISSUE_LIMITS = {
  /** Problems kept per error; further ones are only counted. */
  kept: 1000,
  /** Problems listed in the message; the rest are summed up as "... and N more". */
  listed: 20,
  /** Characters of one listed line (path and message). */
  lineChars: 500,
};

/** `text` cut to `max` characters, saying how much was cut. */
export function clipText(text: string, max = ISSUE_LIMITS.lineChars): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/** Formats one issue as the single line shown to the user. */
export function formatIssue(issue: ConfigIssue): string {
  return clipText(issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`);
}

/** The listed lines of a problem list: the first ones, then how many more there are. */
export function listIssueLines(lines: readonly string[], total = lines.length): string[] {
  const shown = lines.slice(0, ISSUE_LIMITS.listed);
  if (total > shown.length) shown.push(`... and ${total - shown.length} more`);
  return shown;
}

function countText(n: number): string {
  // Readers stop walking a document once the kept problems are full, so more may follow.
  if (n >= ISSUE_LIMITS.kept) return `at least ${n} problems (checking stopped there)`;
  return n === 1 ? '1 problem' : `${n} problems`;
}

/**
 * Every problem of a config at once: validation collects all issues first, then throws one ConfigError,
 * so a user fixes a file in one pass instead of one error per run.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  /** What was being read (a file name or 'model config'), repeated in the message. */
  readonly source: string;
  /** Problems found beyond the ones kept in `issues` (see ISSUE_LIMITS). */
  readonly omitted: number;

  constructor(source: string, issues: readonly ConfigIssue[], omitted = 0) {
    const kept = issues.slice(0, ISSUE_LIMITS.kept);
    const total = issues.length + omitted;
    const lines = listIssueLines(kept.slice(0, ISSUE_LIMITS.listed).map(formatIssue), total);
    super(`${clipText(source)}: ${countText(total)}\n${lines.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
    this.source = source;
    this.issues = kept;
    this.omitted = total - kept.length;
  }
}

/** Accumulates issues while a document is walked; `throwIfAny` ends the pass. */
export class IssueCollector {
  readonly issues: ConfigIssue[] = [];
  /** Issues counted but not kept, past ISSUE_LIMITS.kept. */
  omitted = 0;

  add(path: string, message: string): void {
    if (this.issues.length < ISSUE_LIMITS.kept) this.issues.push({ path: clipText(path), message: clipText(message) });
    else this.omitted++;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Issues added so far, kept or not. */
  get count(): number {
    return this.issues.length + this.omitted;
  }

  /** Whether no more issues are kept: a walker of a long list can stop here. */
  get full(): boolean {
    return this.issues.length >= ISSUE_LIMITS.kept;
  }

  throwIfAny(source: string): void {
    if (this.issues.length > 0) throw new ConfigError(source, this.issues, this.omitted);
  }
}
