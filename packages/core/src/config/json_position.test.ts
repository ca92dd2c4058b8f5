import fc from 'fast-check';
import { jsonErrorOffset, jsonSyntaxProblem, lineAndColumn } from './json_position';
import { parseJsonSafely } from './safe_json';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('where JSON text stops being valid', () => {
  test('the scanner agrees with JSON.parse on valid documents and on damaged ones', () => {
    const documents = fc.jsonValue().map((v) => JSON.stringify(v, null, 1));
    // Damage: cut the text, drop a character, or insert one of the characters JSON is made of.
    const damaged = fc.tuple(documents, fc.nat(), fc.constantFrom('', '}', ']', ',', ':', '"', '\\', 'x', '\n', '0')).map(([text, at, insert]) => {
      const k = text.length === 0 ? 0 : at % text.length;
      return insert === '' ? text.slice(0, k) + text.slice(k + 1) : text.slice(0, k) + insert + text.slice(k);
    });
    fc.assert(fc.property(fc.oneof(documents, damaged), (text) => (jsonErrorOffset(text) === undefined) === parses(text)), { numRuns: 400 });
  });

  test('line and column of the first offending character', () => {
    expect(jsonSyntaxProblem('{\n  "a": 1,\n  "b": }', '')).toBe('at line 3, column 8: unexpected "}"');
    expect(jsonSyntaxProblem('[1, 2,]', '')).toBe('at line 1, column 7: unexpected "]"');
    expect(jsonSyntaxProblem('{"a": [1, 2', '')).toBe('at line 1, column 12: the text ends too early (a missing bracket, brace or quote)');
    expect(jsonSyntaxProblem('{"a": "x\ny"}', '')).toBe('at line 1, column 9: unexpected "\\n"');
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  test('model documents say where their syntax breaks', () => {
    expect(() => parseJsonSafely('{\n  "class_name": "Sequential",\n  "config": {"layers": [}\n}', 'model.json')).toThrow(
      /model\.json: 1 problem\n {2}- not valid JSON at line 3, column 25: unexpected "}"/,
    );
  });
});
