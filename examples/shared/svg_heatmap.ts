/**
 * Small SVG heat maps of attention weights, one panel per example: rows are output steps (labelled on
 * the left), columns input steps (labelled on top), darker cells more weight. Dependency-free, like
 * svg_chart.ts.
 */

export interface HeatmapPanel {
  title: string;
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  /** weights[row][column], each in [0, 1]. */
  weights: readonly (readonly number[])[];
}

const CELL = 22;
const LABEL_WIDTH = 44;
const HEADER = 40;
const GAP = 28;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** White (0) to dark blue (1). */
function shade(weight: number): string {
  const w = Math.min(1, Math.max(0, Number.isFinite(weight) ? weight : 0));
  const channel = (from: number, to: number) => Math.round(from + (to - from) * w);
  return `rgb(${channel(255, 8)},${channel(255, 48)},${channel(255, 107)})`;
}

function panelSvg(panel: HeatmapPanel, x0: number, y0: number): string {
  const parts = [`<text x="${x0}" y="${y0 + 12}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`];
  const gridX = x0 + LABEL_WIDTH;
  const gridY = y0 + HEADER;
  panel.columnLabels.forEach((label, j) => {
    parts.push(`<text x="${gridX + j * CELL + CELL / 2}" y="${gridY - 6}" font-size="11" text-anchor="middle">${escapeXml(label)}</text>`);
  });
  panel.rowLabels.forEach((label, i) => {
    parts.push(`<text x="${gridX - 6}" y="${gridY + i * CELL + CELL / 2 + 4}" font-size="11" text-anchor="end">${escapeXml(label)}</text>`);
    panel.columnLabels.forEach((_, j) => {
      const w = panel.weights[i]?.[j] ?? 0;
      parts.push(`<rect x="${gridX + j * CELL}" y="${gridY + i * CELL}" width="${CELL}" height="${CELL}" fill="${shade(w)}" stroke="#ddd"><title>${escapeXml(`${label} / ${panel.columnLabels[j]}: ${w.toFixed(3)}`)}</title></rect>`);
    });
  });
  return parts.join('\n');
}

function panelWidth(panel: HeatmapPanel): number {
  return LABEL_WIDTH + panel.columnLabels.length * CELL;
}

function panelHeight(panel: HeatmapPanel): number {
  return HEADER + panel.rowLabels.length * CELL;
}

/** The panels side by side under a title. */
export function heatmapSvg(title: string, panels: readonly HeatmapPanel[]): string {
  const top = 30;
  const width = panels.reduce((w, p) => w + panelWidth(p) + GAP, GAP);
  const height = top + Math.max(0, ...panels.map(panelHeight)) + GAP;
  let x = GAP;
  const body = panels.map((p) => {
    const svg = panelSvg(p, x, top);
    x += panelWidth(p) + GAP;
    return svg;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${GAP}" y="18" font-size="14">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
