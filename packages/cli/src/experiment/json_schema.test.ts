import * as fs from 'fs';
import * as path from 'path';
import { EXPERIMENT_SCHEMA_DOC, experimentJsonSchema, experimentJsonSchemaText } from './json_schema';

const file = path.resolve(__dirname, '../../../..', EXPERIMENT_SCHEMA_DOC);

describe('experiment JSON Schema', () => {
  it(`is in sync with ${EXPERIMENT_SCHEMA_DOC} (UPDATE_SCHEMAS=1 rewrites it)`, () => {
    const text = experimentJsonSchemaText();
    if (process.env.UPDATE_SCHEMAS === '1') {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('spells section keys in snake_case and lists every data kind', () => {
    const schema = experimentJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown>; oneOf?: { properties: { kind: { const: string } } }[] }> };
    expect(Object.keys(schema.properties.fit.properties ?? {})).toContain('batch_size');
    const kinds = (schema.properties.data.oneOf ?? []).map((o) => o.properties.kind.const);
    expect(kinds).toEqual(['text', 'timeseries', 'classification', 'tagging', 'seq2seq']);
  });
});
