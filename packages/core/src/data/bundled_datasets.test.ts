import { loadBundledRecords, loadBundledTable, loadBundledText, bundledDatasetInfo, BUNDLED_DATASETS } from './bundled_datasets';
import { numericColumns } from './time_series';

describe('bundled datasets', () => {
  it('loads Moby-Dick as one text', () => {
    const text = loadBundledText('moby-dick');
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text).toContain('Call me Ishmael.');
  });

  it('loads US births as a numeric table', () => {
    const table = loadBundledTable('us-births');
    expect(table.columns).toEqual(['year', 'month', 'date_of_month', 'day_of_week', 'births']);
    expect(table.rows).toHaveLength(7305);
    expect(numericColumns(table, ['births']).rows[0]).toEqual([8486]);
  });

  it('loads CMUdict with one pronunciation per word', () => {
    const records = loadBundledRecords('cmudict');
    const words = new Set(records.map((r) => r.value.word));
    expect(words.size).toBe(records.length);
    expect(records.find((r) => r.value.word === 'ABANDON')?.value.phonemes).toBe('AH0 B AE1 N D AH0 N');
  });

  it('loads first names as text and as gendered records', () => {
    expect(loadBundledText('female-first-names').split('\n')[0]).toBe('Aaren');
    const records = loadBundledRecords('first-names');
    expect(records.length).toBe(4951 + 3898);
    expect(records[records.length - 1].value.gender).toBe('male');
  });

  it('describes every dataset and names the nearest for a typo', () => {
    expect(BUNDLED_DATASETS.map((d) => d.name)).toContain('spam-assassin');
    expect(() => bundledDatasetInfo('moby-dik')).toThrow(/unknown bundled dataset 'moby-dik' \(did you mean 'moby-dick'\?\)/);
    expect(() => loadBundledTable('moby-dick')).toThrow(/cannot be loaded as table/);
  });
});

describe('spam-assassin', () => {
  it('labels e-mails spam or ham and splits subject and body', () => {
    const records = loadBundledRecords('spam-assassin');
    expect(records).toHaveLength(6046);
    const spam = records.filter((r) => r.value.label === 'spam').length;
    expect(spam).toBe(1896);
    const first = records[0].value;
    expect(typeof first.subject).toBe('string');
    expect((first.text as string).length).toBeGreaterThan((first.body as string).length);
  });
});
