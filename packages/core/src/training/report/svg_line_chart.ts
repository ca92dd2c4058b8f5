/**
 * A small standalone SVG line chart (no dependencies): one or more series, a linear or logarithmic y
 * axis, "nice" ticks and a legend. Used for the training curves of reports and the figures of the
 * examples (gradient norms over timesteps on a log scale, forecasts against the actual series).
 * Missing or non-finite points (a loss that became NaN, a norm that overflowed) break the line rather
 * than bend the axes, and the legend says how many there were.
 */

export interface ChartSeries {
  name: string;
  /** One value per x position (xStart, xStart + 1, ...), or explicit [x, y] points. A null or
   * non-finite value (or, on a log scale, one <= 0) leaves a gap. */
  values: readonly (number | null)[] | readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** x value of the first of plain values (default 1: epochs count from 1). */
  xStart?: number;
  yScale?: 'linear' | 'log';
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Tick values covering [min, max] at a 1/2/5 x 10^k spacing. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const spacing = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.floor(min / spacing) * spacing; t <= max + spacing * 1e-9; t += spacing) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + spacing).toPrecision(12)));
  return ticks;
}

/** Powers of ten covering [min, max] (both > 0), thinned to at most eight. */
function logTicks(min: number, max: number): number[] {
  const from = Math.floor(Math.log10(min));
  const to = Math.max(from + 1, Math.ceil(Math.log10(max)));
  const stride = Math.max(1, Math.ceil((to - from + 1) / 8));
  const ticks: number[] = [];
  for (let e = from; e <= to; e += stride) ticks.push(10 ** e);
  if (ticks[ticks.length - 1] < max) ticks.push(10 ** (from + Math.ceil((to - from) / stride) * stride));
  return ticks;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatTick(v: number, log: boolean): string {
  if (log) return `1e${Math.round(Math.log10(v))}`;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/** The series' points as [x, y] pairs (y null where a plain value was null). */
function pointsOf(series: ChartSeries, xStart: number): [number, number | null][] {
  return (series.values as readonly unknown[]).map((v, i) =>
    Array.isArray(v) ? [v[0] as number, v[1] as number] : [xStart + i, v as number | null],
  );
}

export function lineChartSvg(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const log = options.yScale === 'log';
  const usable = (x: number, y: number | null): y is number => Number.isFinite(x) && y !== null && Number.isFinite(y) && (!log || y > 0);
  const all = series.map((s) => pointsOf(s, options.xStart ?? 1));
  const labels = series.map((s, k) => {
    const missing = all[k].filter(([x, y]) => y !== null && !usable(x, y)).length;
    return missing > 0 ? `${s.name} (${missing} non-finite point${missing === 1 ? '' : 's'} not drawn)` : s.name;
  });
  // The legend sits right of the plot: room for its longest label (about 6.6 px a character), at most half the width.
  const legendW = Math.min(width / 2, Math.max(150, 40 + 6.6 * Math.max(0, ...labels.map((l) => l.length))));
  const margin = { top: 36, right: legendW, bottom: 48, left: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const drawn = all.flatMap((points) => points.filter(([x, y]) => usable(x, y))) as [number, number][];
  const ys = drawn.map((p) => p[1]);
  const xs = drawn.map((p) => p[0]);
  const yTicks = ys.length === 0 ? [log ? 1 : 0, log ? 10 : 1] : log ? logTicks(Math.min(...ys), Math.max(...ys)) : niceTicks(Math.min(...ys), Math.max(...ys));
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const xMin = xs.length > 0 ? Math.min(...xs) : (options.xStart ?? 1);
  const xMax = Math.max(xMin + 1, ...xs);
  const integerX = xs.every(Number.isInteger);
  const xTicks = niceTicks(xMin, xMax, Math.min(8, Math.max(1, Math.round(xMax - xMin))))
    .filter((t) => t >= xMin && t <= xMax && (!integerX || Number.isInteger(t)));
  const sx = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const ty = (y: number) => (log ? Math.log10(y) : y);
  const sy = (y: number) => margin.top + plotH - ((ty(y) - ty(yMin)) / (ty(yMax) - ty(yMin) || 1)) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(t, log)}</text>`);
  }
  for (const t of xTicks) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="#333"/>`);
    parts.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${formatTick(t, false)}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  if (options.xLabel) parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) {
    const label = `${options.yLabel}${log ? ' (log scale)' : ''}`;
    parts.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(label)}</text>`);
  }
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    // Break the line at unusable points instead of bridging them.
    let d = '';
    let pen = false;
    for (const [x, y] of all[k]) {
      if (!usable(x, y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)} `;
      pen = true;
      if (all[k].length <= 200) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeXml(s.name)} ${x}: ${y}</title></circle>`);
    }
    if (d) parts.push(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    const ly = margin.top + 14 + k * 18;
    const lx = margin.left + plotW + 12;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escapeXml(labels[k])}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
