import { fitLabelVocabulary, LabelIndex } from './label_vocabulary';
import { parseJsonl, recordLabel, recordText, recordTokens } from './records';

describe('parseJsonl', () => {
  it('reads one object per line, skipping blank lines and keeping line numbers', () => {
    const records = parseJsonl('{"a":1}\n\n{"a":2}\r\n', 'x.jsonl');
    expect(records.map((r) => [r.line, r.value.a])).toEqual([[1, 1], [3, 2]]);
  });

  it('names the line of invalid JSON and of non-objects', () => {
    expect(() => parseJsonl('{"a":1}\n{"a":', 'x.jsonl')).toThrow(/x\.jsonl:2: not valid JSON/);
    expect(() => parseJsonl('[1,2]', 'x.jsonl')).toThrow(/x\.jsonl:1: expected a JSON object, found an array/);
  });
});

describe('record fields', () => {
  const [record] = parseJsonl('{"text":"hi","tokens":["a",1],"label":true,"n":null}', 'r.jsonl');

  it('reads text, tokens and labels', () => {
    expect(recordText(record, 'text')).toBe('hi');
    expect(recordTokens(record, 'tokens')).toEqual(['a', '1']);
    expect(recordLabel(record, 'label')).toBe(true);
  });

  it('names a missing field with the nearest existing one', () => {
    expect(() => recordText(record, 'txt')).toThrow(/r\.jsonl:1: no field 'txt' \(did you mean 'text'\?\)/);
  });

  it('names fields of the wrong type', () => {
    expect(() => recordText(record, 'tokens')).toThrow(/r\.jsonl:1 \(tokens\): field 'tokens' must be a string, found an array/);
    expect(() => recordTokens(record, 'text')).toThrow(/must be an array of strings/);
    expect(() => recordLabel(record, 'n')).toThrow(/found null/);
  });
});

describe('label vocabulary', () => {
  it('orders numbers numerically and other labels as text', () => {
    expect(fitLabelVocabulary([10, 2, 2, 1])).toEqual([1, 2, 10]);
    expect(fitLabelVocabulary(['spam', 'ham', 'spam'])).toEqual(['ham', 'spam']);
  });

  it('maps labels to indices (with an offset for a padding class) and back', () => {
    const index = new LabelIndex(['NN', 'VB'], 1);
    expect(index.size).toBe(3);
    expect(index.indexOf('VB', { file: 'f', line: 1, field: 'tags' })).toBe(2);
    expect(index.labelOf(0)).toBeNull();
    expect(index.labelOf(1)).toBe('NN');
    expect(() => index.indexOf('JJ', { file: 'f', line: 4, field: 'tags' })).toThrow(/f:4 \(tags\): unknown label "JJ"/);
  });
});
