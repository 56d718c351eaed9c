import { escapeHtml, niceCeiling } from "./text-format.js";

export interface BarRow {
  label: string;
  value: number;
  color: string;
}

export interface LineSeries {
  label: string;
  color: string;
  dashed: boolean;
  values: readonly number[];
}

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

/**
 * A horizontal bar chart as inline SVG: one bar per row, its value printed beside it. Everything is computed
 * here, so the chart needs no script, no font download and no network to appear.
 */
export function barChart(title: string, rows: readonly BarRow[], format: (value: number) => string): string {
  const labelWidth = 190;
  const barWidth = 230;
  const rowHeight = 24;
  const top = 28;
  const width = labelWidth + barWidth + 70;
  const height = top + rows.length * rowHeight + 8;
  const max = niceCeiling(Math.max(0, ...rows.map((row) => row.value)));
  const bars = rows
    .map((row, index) => {
      const y = top + index * rowHeight;
      const length = max > 0 ? (barWidth * Math.max(0, row.value)) / max : 0;
      return (
        `<g><title>${escapeHtml(`${row.label}: ${format(row.value)}`)}</title>` +
        `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" ${FONT}>${escapeHtml(row.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="${row.color}" rx="2"/>` +
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 16}" ${FONT}>${escapeHtml(format(row.value))}</text></g>`
      );
    })
    .join("");
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<text x="0" y="16" font-weight="600" ${FONT}>${escapeHtml(title)}</text>` +
    `<line x1="${labelWidth}" y1="${top}" x2="${labelWidth}" y2="${height - 8}" stroke="#9ca3af"/>${bars}</svg>`
  );
}

/**
 * A line chart as inline SVG: x is the point index (labels under it), y from 0 to a round maximum, one line per
 * series with a dot per point (hover shows the value), and a legend.
 */
export function lineChart(
  title: string,
  xLabels: readonly string[],
  series: readonly LineSeries[],
  format: (value: number) => string,
  pointTitle: (index: number) => string,
): string {
  const left = 56;
  const plotWidth = 560;
  const plotHeight = 200;
  const top = 30;
  const legendTop = top + plotHeight + 40;
  const legendRows = Math.ceil(series.length / 3);
  const width = left + plotWidth + 20;
  const height = legendTop + legendRows * 20 + 4;
  const max = niceCeiling(Math.max(0, ...series.flatMap((line) => line.values)));
  const x = (index: number) =>
    left + (xLabels.length <= 1 ? plotWidth / 2 : (plotWidth * index) / (xLabels.length - 1));
  const y = (value: number) => top + plotHeight - (plotHeight * Math.max(0, value)) / max;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((share) => {
      const value = max * share;
      return (
        `<line x1="${left}" y1="${y(value).toFixed(1)}" x2="${left + plotWidth}" y2="${y(value).toFixed(1)}" stroke="#e5e7eb"/>` +
        `<text x="${left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" ${FONT}>${escapeHtml(format(value))}</text>`
      );
    })
    .join("");
  // Label every point when they fit, else about six of them (a date is ~80 px wide).
  const every = Math.max(1, Math.ceil(xLabels.length / 6));
  const ticks = xLabels
    .map((label, index) =>
      index % every === 0
        ? `<text x="${x(index).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" ${FONT}>${escapeHtml(label)}</text>`
        : "",
    )
    .join("");
  const lines = series
    .map((line) => {
      const points = line.values
        .map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`)
        .join(" ");
      const dots = line.values
        .map(
          (value, index) =>
            `<circle cx="${x(index).toFixed(1)}" cy="${y(value).toFixed(1)}" r="3" fill="${line.color}">` +
            `<title>${escapeHtml(`${line.label}, ${pointTitle(index)}: ${format(value)}`)}</title></circle>`,
        )
        .join("");
      const dash = line.dashed ? ' stroke-dasharray="5 4"' : "";
      return `<g><polyline points="${points}" fill="none" stroke="${line.color}" stroke-width="2"${dash}/>${dots}</g>`;
    })
    .join("");
  const legend = series
    .map((line, index) => {
      const lx = left + (index % 3) * 200;
      const ly = legendTop + Math.floor(index / 3) * 20;
      const dash = line.dashed ? ' stroke-dasharray="5 4"' : "";
      return (
        `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${line.color}" stroke-width="2"${dash}/>` +
        `<text x="${lx + 28}" y="${ly}" ${FONT}>${escapeHtml(line.label)}</text>`
      );
    })
    .join("");
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<text x="0" y="16" font-weight="600" ${FONT}>${escapeHtml(title)}</text>${grid}` +
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#6b7280"/>` +
    `${ticks}${lines}${legend}</svg>`
  );
}
