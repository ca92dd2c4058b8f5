/**
 * Where JSON text stops being valid, as a line and a column. JSON.parse's own messages do not always
 * give a position (Node 20: `Unexpected token '}', "{"a": }" is not valid JSON`) and quote the text
 * itself, which may be long; this scanner finds the first offending character without recursion.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** End of the string starting at `i` (its closing quote + 1), or the offset of its first error. */
function scanString(text: string, i: number): { end: number } | { error: number } {
  for (let k = i + 1; k < text.length; k++) {
    const c = text[k];
    if (c === '"') return { end: k + 1 };
    if (c.charCodeAt(0) < 0x20) return { error: k };
    if (c === '\\') {
      const next = text[k + 1];
      if (next === 'u') {
        HEX4.lastIndex = k + 2;
        if (!HEX4.test(text)) return { error: k + 1 };
        k += 5;
      } else if (next !== undefined && ESCAPES.has(next)) {
        k++;
      } else {
        return { error: k + 1 };
      }
    }
  }
  return { error: text.length };
}

/** Offset of the first character where `text` is not valid JSON; undefined when it is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  const stack: string[] = [];
  let i = 0;
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };
  // An object's key and its colon; the offset of an error, or undefined.
  const readKey = (): number | undefined => {
    if (text[i] !== '"') return i;
    const key = scanString(text, i);
    if ('error' in key) return key.error;
    i = key.end;
    skip();
    if (text[i] !== ':') return i;
    i++;
    return undefined;
  };
  // Each turn reads one value (after a key, a comma or at the start), then what may follow it.
  for (;;) {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      skip();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else if (c === '{') {
        const error = readKey();
        if (error !== undefined) return error;
        continue;
      } else {
        continue;
      }
    } else if (c === '"') {
      const s = scanString(text, i);
      if ('error' in s) return s.error;
      i = s.end;
    } else if (c !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return i + 1;
      i = NUMBER.lastIndex;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal === undefined) return i;
      i += literal.length;
    }
    // A value ended: close containers, or find the separator to the next value.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? i : undefined;
      const close = top === '{' ? '}' : ']';
      if (text[i] === close) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return i;
      i++;
      if (top === '{') {
        skip();
        const error = readKey();
        if (error !== undefined) return error;
      }
      break;
    }
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** "at line 3, column 7: unexpected '}'" for invalid JSON text (or the parser's message if the scan disagrees). */
export function jsonSyntaxProblem(text: string, parserMessage: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return parserMessage.slice(0, 200);
  const { line, column } = lineAndColumn(text, offset);
  const found = offset >= text.length ? 'the text ends too early (a missing bracket, brace or quote)' : `unexpected ${JSON.stringify(text[offset])}`;
  return `at line ${line}, column ${column}: ${found}`;
}
