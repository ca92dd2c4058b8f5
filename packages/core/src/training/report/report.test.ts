import { appendEpoch, emptyTrainingLog, historyCsv } from './training_log';
import { lineChartSvg, niceTicks } from './svg_line_chart';
import { historyCharts, trainingReportHtml } from './report_html';

describe('history', () => {
  it('aligns metrics that appear later with nulls and writes CSV', () => {
    const h = emptyTrainingLog();
    appendEpoch(h, 1, { loss: 2 }, 1.5);
    appendEpoch(h, 2, { loss: 1, val_loss: 1.5 }, 1.25);
    expect(h.history).toEqual({ loss: [2, 1], val_loss: [null, 1.5] });
    expect(historyCsv(h)).toBe('epoch,loss,val_loss,seconds\n1,2,,1.500\n2,1,1.5,1.250\n');
  });
});

describe('SVG charts', () => {
  it('picks 1-2-5 ticks covering the range', () => {
    expect(niceTicks(0.13, 0.92)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3).length).toBeGreaterThan(1);
  });

  it('draws one path per series with a legend, breaking at missing values', () => {
    const svg = lineChartSvg(
      [
        { name: 'training loss', values: [3, 2, 1] },
        { name: 'validation <loss>', values: [null, 2.5, 1.5], dashed: true },
      ],
      { title: 'Loss', xLabel: 'epoch' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('validation &lt;loss&gt;');
    expect(svg).toContain('stroke-dasharray');
    const validationPath = /<path d="([^"]+)"[^>]*stroke-dasharray/.exec(svg)?.[1] ?? '';
    expect(validationPath.match(/M/g)).toHaveLength(1);
  });

  it('draws explicit [x, y] points, counts the non-finite ones in the legend, and escapes text', () => {
    const svg = lineChartSvg([{ name: 'loss', values: [[0, 3], [1, 2], [2, NaN], [3, Infinity], [4, 1], [5, 0.5]] }], { title: 'a & b', xLabel: 'step' });
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect((/<path d="([^"]+)"/.exec(svg)?.[1] ?? '').match(/M/g)).toHaveLength(2); // broken at the gap
    expect(svg).toContain('loss (2 non-finite points not drawn)');
    expect(svg).toContain('a &amp; b');
    expect(svg).toContain('>0<'); // the x axis starts at the first point's x
  });

  it('a log scale gets power-of-ten ticks and leaves out values <= 0', () => {
    const svg = lineChartSvg([{ name: 'norm', values: [[1, 1e-6], [2, 1e-3], [3, 0], [4, 10]] }], { title: 't', yLabel: 'y', yScale: 'log' });
    expect(svg).toContain('>1e-6<');
    expect(svg).toContain('>1e1<');
    expect(svg).toContain('(1 non-finite point not drawn)');
    expect(svg).toContain('y (log scale)');
    // A series with nothing to draw still gives a chart (a diverged run's report must not fail).
    expect(lineChartSvg([{ name: 'x', values: [NaN, null] }], { title: 'empty' })).toContain('x (1 non-finite point not drawn)');
  });

  it('makes one chart per metric with its validation twin, and a standalone HTML report', () => {
    const h = emptyTrainingLog();
    appendEpoch(h, 1, { loss: 2, accuracy: 0.5, val_loss: 2.2, val_accuracy: 0.4 }, 1);
    appendEpoch(h, 2, { loss: 1, accuracy: 0.7, val_loss: 1.9, val_accuracy: 0.6 }, 1);
    h.samples = [{ epoch: 2, temperature: 0.5, prime: 'call ', text: 'me <ishmael>' }];
    expect(historyCharts(h).map((c) => c.name)).toEqual(['loss', 'accuracy']);
    const html = trainingReportHtml(h, { title: 'run', facts: [['seed', '1']] });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('me &lt;ishmael&gt;');
  });
});
