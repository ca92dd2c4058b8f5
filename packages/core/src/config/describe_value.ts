/** Short, safe descriptions of found values for error messages ("got -3", "got an object"). */

const MAX_SHOWN = 60;

/**
 * JSON text of `value` if it fits in `budget` characters, else undefined; stops as soon as the budget is
 * spent, so a list of millions of items costs no more than a short one.
 */
function boundedJson(value: unknown, budget: number): string | undefined {
  let out = '';
  const visit = (v: unknown): boolean => {
    if (out.length > budget) return false;
    if (Array.isArray(v)) {
      if (v.length > budget) return false;
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        if (!visit(v[i])) return false;
      }
      out += ']';
      return out.length <= budget;
    }
    if (v !== null && typeof v === 'object') {
      out += '{';
      let first = true;
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        out += `${first ? '' : ','}${JSON.stringify(key.slice(0, budget + 1))}:`;
        first = false;
        if (!visit((v as Record<string, unknown>)[key])) return false;
      }
      out += '}';
      return out.length <= budget;
    }
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return false;
    const text = typeof v === 'string' ? JSON.stringify(v.length > budget ? v.slice(0, budget + 1) : v) : JSON.stringify(v) ?? 'null';
    out += text;
    return out.length <= budget;
  };
  return visit(value) ? out : undefined;
}

/** A name as the user wrote it, shortened (to quote it in a message). */
export function shortText(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}

/** A value as the user wrote it, shortened so a huge value cannot flood the message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(shortText(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return boundedJson(value, MAX_SHOWN) ?? `a list of ${value.length} items`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
