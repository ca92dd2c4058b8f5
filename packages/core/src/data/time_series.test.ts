import { parseCsv } from './csv';
import { applyNormalization, denormalizeValue, fitNormalization, normalizeValue, selectStats } from './normalization';
import { countTimeSeriesWindows, numericColumns, timeSeriesWindows } from './time_series';

describe('numericColumns', () => {
  const table = parseCsv('day,a,b\nmon,1,10\ntue,2,20\n', { file: 't.csv' });

  it('picks columns in the requested order as numbers', () => {
    expect(numericColumns(table, ['b', 'a']).rows).toEqual([[10, 1], [20, 2]]);
  });

  it('names the file, line and column of a non-numeric or empty value', () => {
    expect(() => numericColumns(table, ['day'])).toThrow(/t\.csv:2 \(day\): 'mon' is not a number/);
    const gaps = parseCsv('a\n1\n\n""\n', { file: 'g.csv' });
    expect(() => numericColumns(gaps, ['a'])).toThrow(/g\.csv:4 \(a\): empty value/);
  });

  it('names the nearest column for a typo', () => {
    expect(() => numericColumns(table, ['bb'])).toThrow(/unknown column 'bb' \(did you mean 'b'\?\)/);
  });
});

describe('timeSeriesWindows', () => {
  const rows = [0, 1, 2, 3, 4, 5, 6].map((v) => [v, 10 * v]);

  it('pairs each window with the following horizon of targets', () => {
    const { x, y } = timeSeriesWindows(rows, { window: 3, horizon: 2, targetIndices: [1] });
    expect(x.shape).toEqual([3, 3, 2]);
    expect(Array.from(x.data.subarray(0, 6))).toEqual([0, 0, 1, 10, 2, 20]);
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from(y.data)).toEqual([30, 40, 40, 50, 50, 60]);
  });

  it('counts windows for every window, horizon and step', () => {
    for (let length = 0; length < 15; length++) {
      for (let window = 1; window < 5; window++) {
        for (let horizon = 1; horizon < 4; horizon++) {
          for (let step = 1; step < 4; step++) {
            let expected = 0;
            for (let s = 0; s + window + horizon <= length; s += step) expected++;
            expect(countTimeSeriesWindows(length, window, horizon, step)).toBe(expected);
          }
        }
      }
    }
  });

  it('selects feature columns', () => {
    const { x } = timeSeriesWindows(rows, { window: 2, step: 5, featureIndices: [1] });
    expect(x.shape).toEqual([1, 2, 1]);
    expect(Array.from(x.data)).toEqual([0, 10]);
  });
});

describe('normalization', () => {
  const rows = [[1, 5], [3, 5], [5, 5]];

  it('z-scores with population statistics and inverts exactly', () => {
    const stats = fitNormalization(rows, ['a', 'c'], 'zscore');
    expect(stats.columns[0].mean).toBe(3);
    expect(stats.columns[0].std).toBeCloseTo(Math.sqrt(8 / 3), 12);
    const normalized = applyNormalization(stats, rows);
    expect(normalized[2][0]).toBeCloseTo(2 / Math.sqrt(8 / 3), 12);
    expect(denormalizeValue(stats, 0, normalizeValue(stats, 0, 4.2))).toBeCloseTo(4.2, 12);
    // a constant column only shifts instead of dividing by zero
    expect(normalized.map((r) => r[1])).toEqual([0, 0, 0]);
  });

  it('scales min-max to [0, 1]', () => {
    const stats = fitNormalization(rows, ['a', 'c'], 'minmax');
    expect(applyNormalization(stats, rows).map((r) => r[0])).toEqual([0, 0.5, 1]);
    expect(selectStats(stats, ['c']).columns).toEqual([{ column: 'c', min: 5, max: 5 }]);
  });

  it('survives JSON (the stats are saved with models)', () => {
    const stats = fitNormalization(rows, ['a', 'c'], 'zscore');
    const back = JSON.parse(JSON.stringify(stats));
    expect(normalizeValue(back, 0, 2)).toBe(normalizeValue(stats, 0, 2));
  });
});
