/**
 * Errors of the command line and the exit codes they map to: 0 success, 1 runtime failure,
 * 2 usage or configuration error, 130 interrupted (Ctrl-C) after writing a checkpoint.
 */
import { ISSUE_LIMITS, clipText, listIssueLines } from '@recurrent/core';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** One problem in an experiment or config file: its JSON path, what is wrong and how to fix it. */
export interface Issue {
  path: string;
  message: string;
  fix?: string;
}

/** Every problem found in one file, reported together (exit 2). */
export class ExperimentError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly Issue[],
  ) {
    super(formatIssues(file, issues));
    this.name = 'ExperimentError';
  }
}

/** The problems of a file, the first few in full (see ISSUE_LIMITS), each line bounded. */
export function formatIssues(file: string, issues: readonly Issue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = listIssueLines(
    issues.slice(0, ISSUE_LIMITS.listed).map((i) => {
      const head = clipText(`${i.path === '' ? '' : `${i.path}: `}${i.message}`).replace(/\n/g, '\n    ');
      return i.fix ? `${head}\n    fix: ${clipText(i.fix)}` : head;
    }),
    issues.length,
  );
  return `${clipText(file)}: ${count}\n${lines.map((line) => `  - ${line}`).join('\n')}`;
}

/** A wrong command line (unknown template, missing option value...): exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(fix ? `${message}\n  fix: ${fix}` : message);
    this.name = 'UsageError';
  }
}

/** Training stopped by Ctrl-C after a checkpoint was written: exit 130. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** Errors the user fixes by editing a file or the command (exit 2), recognised by class name so
 * errors of @recurrent/core (ConfigError, DataError, BackupError) count too. */
export function isUserError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return ['ExperimentError', 'UsageError', 'ConfigError', 'DataError', 'BackupError', 'MemoryLimitError', 'FileAccessError', 'SettingError'].includes(error.name);
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof InterruptedError) return EXIT_INTERRUPTED;
  return isUserError(error) ? EXIT_USAGE : EXIT_FAILURE;
}
