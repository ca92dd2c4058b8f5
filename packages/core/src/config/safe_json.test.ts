import { jsonNestingDepth, parseJsonSafely, valueNestingDepth } from './safe_json';
import { ConfigError } from './config_error';

test('nesting depth ignores brackets inside strings and stops early', () => {
  expect(jsonNestingDepth('{"a": [1, {"b": "[[[["}]}')).toBe(3);
  expect(jsonNestingDepth('"\\"[" ')).toBe(0);
  expect(jsonNestingDepth('['.repeat(1000), 10)).toBe(11);
});

test('size, depth and syntax problems are ConfigErrors naming the source', () => {
  expect(() => parseJsonSafely('x'.repeat(50), 'a.json', { maxLength: 10, maxDepth: 5 })).toThrow(/^a\.json: 1 problem\n {2}- document is 50 characters long, more than the limit of 10$/);
  expect(() => parseJsonSafely('[[[[[[]]]]]]', 'b.json', { maxLength: 100, maxDepth: 5 })).toThrow(/nesting deeper than 5 levels/);
  expect(() => parseJsonSafely('{"a": }', 'c.json')).toThrow(ConfigError);
  expect(parseJsonSafely('{"a": [1, 2]}', 'd.json')).toEqual({ a: [1, 2] });
});

test('in-memory values: depth, and cycles read as too deep instead of hanging', () => {
  expect(valueNestingDepth({ a: [{ b: 1 }] }, 10)).toBe(3);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  expect(valueNestingDepth(cycle, 50)).toBeGreaterThan(50);
});
