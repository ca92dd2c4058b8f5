import { setOwn, toCamelCase, toSnakeCase } from '@recurrent/core';

/**
 * A copy of an object section with its own keys (not nested values) in camelCase, so files may use
 * Keras's `batch_size` as well as `batchSize`; also returns the spelling each key had, so messages
 * can name the key as the file writes it. A key given in both spellings keeps the camelCase value.
 */
export function camelizeKeys(section: unknown): { value: unknown; spelling: Map<string, string> } {
  const spelling = new Map<string, string>();
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return { value: section, spelling };
  const out: Record<string, unknown> = {};
  const entries = Object.entries(section as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (!key.includes('_')) continue;
    setOwn(out, toCamelCase(key), value);
    spelling.set(toCamelCase(key), key);
  }
  for (const [key, value] of entries) {
    if (key.includes('_')) continue;
    setOwn(out, key, value);
    spelling.set(key, key);
  }
  return { value: out, spelling };
}

/**
 * Rewrites an internal (camelCase) JSON path such as `data.seqLength` or `fit.batchSize` with the key
 * spelling of the file, or snake_case for keys the file does not have.
 */
export function spellPath(path: string, spellings: ReadonlyMap<string, ReadonlyMap<string, string>>): string {
  const match = /^([A-Za-z$]+)\.([A-Za-z0-9_$]+)(.*)$/.exec(path);
  if (match === null) return path;
  const [, section, key, rest] = match;
  const spelling = spellings.get(section);
  if (spelling === undefined) return path;
  return `${section}.${spelling.get(key) ?? toSnakeCase(key)}${rest}`;
}
