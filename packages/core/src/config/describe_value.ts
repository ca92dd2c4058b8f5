/** Short, safe descriptions of found values for error messages ("got -3", "got an object"). */

const MAX_SHOWN = 60;

/** A value as the user wrote it, shortened so a huge value cannot flood the message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      text = `a list of ${value.length} items`;
    }
    return text.length > MAX_SHOWN ? `a list of ${value.length} items` : text;
  }
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
