import { z } from 'zod';
import { didYouMean, toSnakeCase } from '@recurrent/core';
import { Issue } from '../errors';

/** `['data', 'features', 0]` -> `data.features[0]`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out;
}

/** zod issues as user-facing issues, with a fix where one is obvious. */
export function zodIssues(
  error: z.ZodError,
  prefix: PropertyKey[] = [],
  knownKeys: (path: PropertyKey[]) => string[] = () => [],
  /** The key as the file spells it (sections are read with camelCase keys). */
  spelt: (path: PropertyKey[], key: string) => string = (_p, key) => key,
): Issue[] {
  return error.issues.map((issue) => {
    const where = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path).map(toSnakeCase);
      const keys = issue.keys.map((k) => spelt(issue.path, k));
      const hints = keys.map((k) => didYouMean(toSnakeCase(k), known)).join('');
      return {
        path: formatJsonPath(where),
        message: `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}${hints}`,
        fix: known.length > 0 ? `keys here: ${known.join(', ')}` : 'remove it or check its spelling against docs/schema/experiment.schema.json',
      };
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      return { path: formatJsonPath(where), message: `must be one of ${(issue as { options?: unknown[] }).options?.map((o) => `'${String(o)}'`).join(', ')}` };
    }
    if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
      return { path: formatJsonPath(where), message: `required ${issue.expected === 'string' || issue.expected === 'number' ? `(${issue.expected})` : ''}`.trim() };
    }
    return { path: formatJsonPath(where), message: issue.message.replace(/^Invalid input: /, '') };
  });
}
