/** The HTML training report: one chart per metric, the per-epoch table, the model and the text samples. */
import { lineChartSvg, type ChartSeries } from './svg_line_chart';
import type { TrainingLog } from './training_log';

/** One chart per metric (loss, accuracy, ...), with its validation twin on the same axes. */
export function historyCharts(history: TrainingLog): { name: string; svg: string }[] {
  const names = Object.keys(history.history).filter((n) => !n.startsWith('val_') && n !== 'lr' && n !== 'learning_rate');
  const xStart = history.epoch[0] ?? 1;
  return names.map((name) => {
    const series: ChartSeries[] = [{ name: `training ${name}`, values: history.history[name] }];
    const validation = history.history[`val_${name}`];
    if (validation !== undefined) series.push({ name: `validation ${name}`, values: validation, dashed: true });
    return { name, svg: lineChartSvg(series, { title: name === 'loss' ? 'Loss per epoch' : `${name} per epoch`, xLabel: 'epoch', yLabel: name, xStart }) };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface ReportInfo {
  title: string;
  /** Lines shown under the title (model, data, seed, time...). */
  facts: [string, string][];
  summary?: string;
}

/** A standalone HTML page: facts, the charts inline, the final metrics table and text samples. */
export function trainingReportHtml(history: TrainingLog, info: ReportInfo): string {
  const charts = historyCharts(history);
  const names = Object.keys(history.history);
  const rows = history.epoch
    .map((epoch, i) => `<tr><td>${epoch}</td>${names.map((n) => `<td>${formatValue(history.history[n][i])}</td>`).join('')}<td>${history.seconds[i].toFixed(1)}</td></tr>`)
    .join('\n');
  const samples = (history.samples ?? [])
    .map((s) => `<h3>epoch ${s.epoch}, temperature ${s.temperature}</h3><pre><b>${escapeHtml(s.prime)}</b>${escapeHtml(s.text)}</pre>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}</style>
</head><body>
<h1>${escapeHtml(info.title)}</h1>
<table>${info.facts.map(([k, v]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td style="text-align:left">${escapeHtml(v)}</td></tr>`).join('\n')}</table>
<h2>Curves</h2>
${charts.map((c) => `<figure>${c.svg}</figure>`).join('\n')}
<h2>Per epoch</h2>
<table><tr><th>epoch</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>seconds</th></tr>
${rows}
</table>
${info.summary ? `<h2>Model</h2><pre>${escapeHtml(info.summary)}</pre>` : ''}
${samples ? `<h2>Samples</h2>\n${samples}` : ''}
</body></html>
`;
}

function formatValue(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : Number(v.toPrecision(6)).toString();
}
