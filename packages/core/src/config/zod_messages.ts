/** zod issues rewritten as "expected X, got Y" lines with user-facing (snake_case) paths. */
import type { z } from 'zod';
import type { ConfigIssue } from './config_error';
import { describeValue } from './describe_value';
import { formatPath, type PathSegment } from './path';

const TYPE_WORDS = new Map([
  ['number', 'a number'], ['int', 'an integer'], ['string', 'a string'], ['boolean', 'true or false'], ['array', 'a list'],
  ['object', 'an object'], ['null', 'null'], ['bigint', 'an integer'],
]);

/** zod's default messages start with these; the layer schemas' own messages are kept as written. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid input|Invalid option|Too small|Too big|Invalid string|Invalid number|Unrecognized key)/.test(message);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

function rewrite(issue: z.core.$ZodIssue, found: unknown): string {
  const got = `got ${describeValue(found)}`;
  if (!isDefaultMessage(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS.get(issue.expected) ?? issue.expected}, ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, ${got}`;
    case 'too_small': {
      const bound = issue.inclusive ? `>= ${issue.minimum}` : `> ${issue.minimum}`;
      return issue.origin === 'array' ? `expected at least ${issue.minimum} items, ${got}` : `expected a value ${bound}, ${got}`;
    }
    case 'too_big': {
      const bound = issue.inclusive ? `<= ${issue.maximum}` : `< ${issue.maximum}`;
      return issue.origin === 'array' ? `expected at most ${issue.maximum} items, ${got}` : `expected a value ${bound}, ${got}`;
    }
    default:
      return `${issue.message}, ${got}`;
  }
}

/**
 * Flattens zod issues (descending into union branches when a single branch explains the failure) into
 * ConfigIssues. `renderKey` turns a schema key into the key the user wrote (camelCase -> snake_case).
 */
export function zodIssuesToConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  prefix: readonly PathSegment[],
  renderKey: (key: string) => string = (k) => k,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((seg) => (typeof seg === 'number' ? seg : renderKey(String(seg))));
    const found = 'input' in issue ? issue.input : valueAt(data, issue.path);
    if (issue.code === 'invalid_union' && Array.isArray(issue.errors) && issue.errors.length > 0) {
      // Prefer the branch that got furthest (the deepest issue), which is usually the intended one.
      const branches = issue.errors as z.core.$ZodIssue[][];
      const best = branches.reduce((a, b) => (Math.max(0, ...b.map((i) => i.path.length)) > Math.max(0, ...a.map((i) => i.path.length)) ? b : a));
      if (best.some((i) => i.path.length > 0)) {
        const nested = best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
        out.push(...zodIssuesToConfigIssues(nested, data, prefix, renderKey));
        continue;
      }
    }
    out.push({ path: formatPath([...prefix, ...path]), message: rewrite(issue, found) });
  }
  return out;
}
