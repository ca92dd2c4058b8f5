import { ConfigError } from './config_error';
import { jsonSyntaxProblem } from './json_position';

/** Limits that keep a hostile or broken JSON document from exhausting memory or the stack. */
export interface JsonLimits {
  /** Largest accepted document, in UTF-16 code units of the text (about bytes for ASCII JSON). */
  maxLength: number;
  /** Deepest accepted nesting of objects and arrays. */
  maxDepth: number;
}

/** Keras configs nest a few levels per layer (wrappers, initializers); 64 MiB and 128 levels leave wide margins. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxLength: 64 * 1024 * 1024, maxDepth: 128 };

/**
 * Deepest nesting of `[`/`{` outside strings, stopping as soon as `limit` is passed. A linear scan before
 * JSON.parse, so a deeply nested "bomb" is refused without recursion.
 */
export function jsonNestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}

/** Parses JSON text after checking its size and depth; every failure is a ConfigError naming `source`. */
export function parseJsonSafely(text: string, source: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown {
  if (typeof text !== 'string') {
    throw new ConfigError(source, [{ path: '', message: `expected JSON text, got ${typeof text}` }]);
  }
  if (text.length > limits.maxLength) {
    throw new ConfigError(source, [
      { path: '', message: `document is ${text.length} characters long, more than the limit of ${limits.maxLength}` },
    ]);
  }
  const depth = jsonNestingDepth(text, limits.maxDepth);
  if (depth > limits.maxDepth) {
    throw new ConfigError(source, [
      { path: '', message: `nesting deeper than ${limits.maxDepth} levels; a model config never needs that many` },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConfigError(source, [{ path: '', message: `not valid JSON ${jsonSyntaxProblem(text, reason)}` }]);
  }
}

/**
 * Depth of an already parsed value, so objects handed to the API directly get the same limit as text.
 * Iterative, and it gives up (returns Infinity) after `maxNodes` visits: a reference cycle or a huge
 * shared structure then reads as "too deep" instead of hanging.
 */
export function valueNestingDepth(value: unknown, limit: number, maxNodes = 5_000_000): number {
  let deepest = 0;
  let visits = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (++visits > maxNodes) return Infinity;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth]);
  }
  return deepest;
}
