import type { EvaluationReport } from "./report-types.js";
import { formatMetric } from "./text-format.js";

/** The placements × metrics table as aligned plain text, for a terminal. */
export function summaryTable(report: EvaluationReport): string {
  const timed = report.placements.some((placement) => placement.latency_us !== null);
  const header = [
    "placement",
    ...report.metrics.map((metric) => metric.label),
    ...(timed ? ["p50 µs", "p99 µs"] : []),
  ];
  const rows = report.placements.map((placement) => [
    placement.id,
    ...report.metrics.map((metric) => formatMetric(placement.metrics[metric.key], metric.unit)),
    ...(timed
      ? [placement.latency_us?.p50.toFixed(1) ?? "-", placement.latency_us?.p99.toFixed(1) ?? "-"]
      : []),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
