import { lineChartSvg } from './svg_chart';

describe('lineChartSvg', () => {
  test('draws one polyline per finite run and says how many points were left out', () => {
    const svg = lineChartSvg([{ name: 'loss', values: [3, 2, NaN, NaN, 1, 0.5] }], { title: 'a & b', xLabel: 'step', yLabel: 'loss' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('loss (2 non-finite points not drawn)');
    expect(svg).toContain('a &amp; b');
  });

  test('a log scale gets power-of-ten ticks and ignores values <= 0', () => {
    const svg = lineChartSvg([{ name: 'norm', values: [[1, 1e-6], [2, 1e-3], [3, 0], [4, 10]] }], { title: 't', xLabel: 'x', yLabel: 'y', yScale: 'log' });
    expect(svg).toContain('>1e-6<');
    expect(svg).toContain('>1e1<');
    expect(svg).toContain('(1 non-finite point not drawn)');
  });

  test('refuses a chart with nothing to draw, naming it', () => {
    expect(() => lineChartSvg([{ name: 'x', values: [NaN] }], { title: 'empty', xLabel: '', yLabel: '' })).toThrow(/'empty' has no finite/);
  });
});
