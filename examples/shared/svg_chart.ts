/**
 * A small, dependency-free SVG line chart: several series, linear or logarithmic y axis, axis ticks,
 * a legend. Non-finite points (a loss that became NaN, a norm that overflowed) break the line rather
 * than bend the axes, and the legend says how many there were.
 */

export interface Series {
  name: string;
  /** y values at x = 0, 1, 2, ... or explicit [x, y] points. */
  values: readonly number[] | readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  yScale?: 'linear' | 'log';
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const MARGIN = { left: 72, right: 16, top: 36, bottom: 48 };
const LEGEND_ROW = 18;

function pointsOf(series: Series): [number, number][] {
  return (series.values as readonly unknown[]).map((v, i) => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [i, v as number]));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About five round tick values covering [lo, hi]. */
function linearTicks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Powers of ten covering [lo, hi] (both > 0), thinned to at most eight. */
function logTicks(lo: number, hi: number): number[] {
  const from = Math.floor(Math.log10(lo));
  const to = Math.ceil(Math.log10(hi));
  const stride = Math.max(1, Math.ceil((to - from + 1) / 8));
  const ticks: number[] = [];
  for (let e = from; e <= to; e += stride) ticks.push(10 ** e);
  return ticks;
}

function tickLabel(value: number, log: boolean): string {
  if (log) return `1e${Math.round(Math.log10(value))}`;
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e5 || abs < 1e-3 ? value.toExponential(1) : String(Number(value.toPrecision(6)));
}

/** The chart as a standalone SVG document. */
export function lineChartSvg(allSeries: readonly Series[], options: ChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const log = options.yScale === 'log';
  const usable = (y: number) => Number.isFinite(y) && (!log || y > 0);
  const series = allSeries.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length], points: pointsOf(s) }));

  const finite = series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && usable(y)));
  if (finite.length === 0) throw new Error(`lineChartSvg: '${options.title}' has no finite${log ? ' positive' : ''} values to plot`);
  let xMin = Math.min(...finite.map((p) => p[0]));
  let xMax = Math.max(...finite.map((p) => p[0]));
  if (xMin === xMax) xMax = xMin + 1;
  let yMin = Math.min(...finite.map((p) => p[1]));
  let yMax = Math.max(...finite.map((p) => p[1]));
  if (log) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax));
    if (yMin === yMax) yMax = yMin * 10;
  } else {
    if (yMin === yMax) [yMin, yMax] = [yMin - 1, yMax + 1];
    const ticks = linearTicks(yMin, yMax);
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    yMin = Math.min(yMin, Math.floor(yMin / step) * step);
    yMax = Math.max(yMax, Math.ceil(yMax / step) * step);
  }
  const xTicks = linearTicks(xMin, xMax).filter((t) => t >= xMin && t <= xMax);
  xMin = Math.min(xMin, xTicks[0] ?? xMin);

  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const ty = (y: number) => (log ? Math.log10(y) : y);
  const sy = (y: number) => MARGIN.top + plotH - ((ty(y) - ty(yMin)) / (ty(yMax) - ty(yMin))) * plotH;
  const yTicks = (log ? logTicks(yMin, yMax) : linearTicks(yMin, yMax)).filter((t) => t >= yMin * (1 - 1e-9) && t <= yMax * (1 + 1e-9));

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t, log)}</text>`);
  }
  for (const t of xTicks) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`);
    parts.push(`<text x="${x}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${tickLabel(t, false)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">${escapeXml(options.yLabel)}${log ? ' (log scale)' : ''}</text>`,
  );

  series.forEach((s) => {
    // Consecutive usable points form one polyline; anything else ends it.
    let run: string[] = [];
    const runs: string[][] = [];
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && usable(y)) run.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
      else if (run.length > 0) (runs.push(run), (run = []));
    }
    if (run.length > 0) runs.push(run);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    for (const r of runs) {
      if (r.length === 1) parts.push(`<circle cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="2.5" fill="${s.color}"/>`);
      else parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${dash} points="${r.join(' ')}"/>`);
    }
  });

  // The legend sits under the plot, so it never hides a line; entries flow left to right.
  let lx = MARGIN.left;
  let ly = height + 14;
  series.forEach((s) => {
    const missing = s.points.filter(([x, y]) => !(Number.isFinite(x) && usable(y))).length;
    const label = missing > 0 ? `${s.name} (${missing} non-finite point${missing === 1 ? '' : 's'} not drawn)` : s.name;
    const entryW = 40 + 6.6 * label.length + 18;
    if (lx > MARGIN.left && lx + entryW > width - MARGIN.right) (lx = MARGIN.left), (ly += LEGEND_ROW);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
    parts.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle">${escapeXml(label)}</text>`);
    lx += entryW;
  });
  const totalHeight = ly + LEGEND_ROW;
  parts[0] = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${totalHeight}" viewBox="0 0 ${width} ${totalHeight}" font-family="sans-serif" font-size="12">`;
  parts[1] = `<rect width="${width}" height="${totalHeight}" fill="white"/>`;
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
