import { Issue } from '../errors';
import { formatJsonPath } from './issue_paths';

/**
 * Model JSON may leave sizes that come from the data as placeholders, e.g. `"units": "$vocabSize"` or
 * `"batch_input_shape": [null, "$seqLength", "$vocabSize"]`; they are replaced by the numbers the data
 * preparation found. An unknown placeholder is an issue naming its JSON path.
 */
export function fillPlaceholders(json: unknown, dims: Record<string, number>, pathPrefix: PropertyKey[] = ['model']): { json: unknown; issues: Issue[] } {
  const issues: Issue[] = [];
  const walk = (value: unknown, at: PropertyKey[]): unknown => {
    if (typeof value === 'string' && /^\$[A-Za-z][A-Za-z0-9]*$/.test(value)) {
      const name = value.slice(1);
      if (Object.prototype.hasOwnProperty.call(dims, name)) return dims[name];
      issues.push({
        path: formatJsonPath(at),
        message: `unknown placeholder '${value}'`,
        fix: `this data section provides: ${Object.keys(dims).map((k) => `$${k}`).join(', ')}`,
      });
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, i]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, [...at, k])]));
    }
    return value;
  };
  return { json: walk(json, pathPrefix), issues };
}

/** Placeholder names used in a JSON document. */
export function placeholdersIn(json: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string' && /^\$[A-Za-z][A-Za-z0-9]*$/.test(value)) found.add(value.slice(1));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(json);
  return [...found];
}
