import type { EvaluationReport, MetricDefinition, PlacementResult } from "./report-types.js";
import { type BarRow, barChart, lineChart } from "./svg-charts.js";
import { escapeHtml, formatCount, formatDate, formatDateTime, formatMetric } from "./text-format.js";

const PLACEMENT_COLORS = [
  "#2563eb",
  "#d97706",
  "#059669",
  "#7c3aed",
  "#db2777",
  "#0891b2",
  "#65a30d",
  "#dc2626",
];
const BASELINE_COLORS: Record<string, string> = {
  "baseline:popular": "#4b5563",
  "baseline:random": "#9ca3af",
};

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1320px; padding: 0 1rem; color: #111827; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.muted { color: #6b7280; } table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.3rem 0.7rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } td.best { font-weight: 700; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; font-size: 0.9rem; }
dt { color: #6b7280; } dd { margin: 0; } .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
code { font-size: 0.85rem; }`;

/**
 * report.html: one self-contained page — inline style, inline SVG charts, no script and no external file — so it
 * opens from disk, from an e-mail attachment or an artefact store alike. The same report gives the same page.
 */
export function renderHtml(report: EvaluationReport): string {
  const colors = colorsOf(report.placements);
  const title = `Sibyl evaluation: ${report.run.protocol}, ${report.dataset.source}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">${escapeHtml(subtitle(report))}</p>`,
    "<h2>Results</h2>",
    resultsTable(report),
    "<h2>Metrics per placement</h2>",
    `<div class="charts">${metricCharts(report, colors)}</div>`,
    `<h2>Metrics ${report.series.axis === "fold" ? "per fold" : "over time"}</h2>`,
    `<div class="charts">${seriesCharts(report, colors)}</div>`,
    "<h2>Run</h2>",
    runDetails(report),
    "</body></html>",
    "",
  ].join("\n");
}

function subtitle(report: EvaluationReport): string {
  const { dataset, requests, run } = report;
  const parts = [
    `${formatCount(requests.scored)} requests scored`,
    `K = ${run.k}`,
    `${formatCount(dataset.events)} events, ${formatCount(dataset.items)} items, ${formatCount(dataset.visitors)} visitors`,
    `${formatDate(dataset.first_event_time)} – ${formatDate(dataset.last_event_time)}`,
  ];
  if (report.generated_at !== null) parts.push(`generated ${report.generated_at}`);
  return parts.join(" · ");
}

function colorsOf(placements: readonly PlacementResult[]): Map<string, string> {
  const colors = new Map<string, string>();
  let next = 0;
  for (const placement of placements) {
    colors.set(
      placement.id,
      BASELINE_COLORS[placement.id] ?? PLACEMENT_COLORS[next++ % PLACEMENT_COLORS.length]!,
    );
  }
  return colors;
}

function resultsTable(report: EvaluationReport): string {
  const timed = report.placements.some((placement) => placement.latency_us !== null);
  const best = new Map(
    report.metrics.map((metric) => [
      metric.key,
      Math.max(...report.placements.map((p) => p.metrics[metric.key])),
    ]),
  );
  const header =
    `<tr><th>placement</th>${report.metrics.map((metric) => `<th title="${escapeHtml(metric.description)}">${escapeHtml(metric.label)}</th>`).join("")}` +
    `${timed ? "<th>p50 µs</th><th>p99 µs</th>" : ""}</tr>`;
  const rows = report.placements.map((placement) => {
    const cells = report.metrics
      .map((metric) => {
        const value = placement.metrics[metric.key];
        // Only accuracy has a "best": the most coverage or novelty is what random gives.
        const mark =
          metric.unit === "ratio" && metric.key !== "coverage" && value === best.get(metric.key) && value > 0
            ? ' class="best"'
            : "";
        return `<td${mark}>${formatMetric(value, metric.unit)}</td>`;
      })
      .join("");
    const latency = timed
      ? `<td>${placement.latency_us?.p50.toFixed(1) ?? "—"}</td><td>${placement.latency_us?.p99.toFixed(1) ?? "—"}</td>`
      : "";
    return `<tr><td title="${escapeHtml(placement.description)}">${escapeHtml(placement.id)}</td>${cells}${latency}</tr>`;
  });
  return `<table><thead>${header}</thead><tbody>${rows.join("")}</tbody></table>`;
}

function metricCharts(report: EvaluationReport, colors: Map<string, string>): string {
  const charts = report.metrics.map((metric: MetricDefinition) => {
    const rows: BarRow[] = report.placements.map((placement) => ({
      label: placement.id,
      value: placement.metrics[metric.key],
      color: colors.get(placement.id)!,
    }));
    return barChart(metric.label, rows, (value) => formatMetric(value, metric.unit));
  });
  if (report.placements.some((placement) => placement.latency_us !== null)) {
    const rows = report.placements.map((placement) => ({
      label: placement.id,
      value: placement.latency_us?.p99 ?? 0,
      color: colors.get(placement.id)!,
    }));
    charts.push(barChart("recommend latency p99 (µs)", rows, (value) => value.toFixed(1)));
  }
  return charts.join("\n");
}

function seriesCharts(report: EvaluationReport, colors: Map<string, string>): string {
  const { points } = report.series;
  const byTime = report.series.axis === "time";
  const span = (points.at(-1)?.to_time ?? 0) - (points[0]?.from_time ?? 0);
  const when = span < 3 * 86_400_000 ? formatDateTime : formatDate;
  const labels = points.map((point) => (byTime ? when(point.to_time) : point.label));
  const pointTitle = (index: number) => {
    const point = points[index]!;
    return byTime
      ? `${when(point.from_time)} – ${when(point.to_time)}, ${formatCount(point.requests)} requests`
      : `${point.label}, ${formatCount(point.requests)} requests`;
  };
  return (["ndcg", "hr", "mrr"] as const)
    .map((key) => {
      const metric = report.metrics.find((definition) => definition.key === key)!;
      const series = report.placements.map((placement) => ({
        label: placement.id,
        color: colors.get(placement.id)!,
        dashed: placement.kind === "baseline",
        values: points.map((point) => point.values[placement.id]?.[key] ?? 0),
      }));
      return lineChart(
        `${metric.label} ${byTime ? "over time (equal numbers of requests)" : "per fold"}`,
        labels,
        series,
        (value) => formatMetric(value, metric.unit),
        pointTitle,
      );
    })
    .join("\n");
}

function runDetails(report: EvaluationReport): string {
  const { run, dataset, requests } = report;
  const entries: [string, string][] = [
    ["protocol", run.protocol],
    ["K", String(run.k)],
    ["seed", String(run.seed)],
    ...(run.folds !== null ? [["folds", String(run.folds)] as [string, string]] : []),
    ...(run.warmup !== null ? [["warm-up", `${run.warmup} of the events`] as [string, string]] : []),
    ["targets", run.targets.join(", ")],
    ["earlier items excluded", run.exclude_seen ? "yes" : "no"],
    [
      "engine options",
      Object.keys(run.engine_options).length > 0 ? JSON.stringify(run.engine_options) : "defaults",
    ],
    [
      "events by type",
      Object.entries(dataset.event_types)
        .map(([type, count]) => `${type} ${formatCount(count)}`)
        .join(", "),
    ],
    ["target events", formatCount(dataset.target_events)],
    ["refused events", formatCount(dataset.refused_events)],
    [
      "skipped targets",
      Object.entries(requests.skipped)
        .map(([why, count]) => `${why} ${formatCount(count)}`)
        .join(", ") || "none",
    ],
  ];
  if (report.timing !== null) {
    entries.push([
      "throughput",
      `${formatCount(Math.round(report.timing.events_per_second))} events/s replayed, ` +
        `${formatCount(Math.round(report.timing.requests_per_second))} requests/s scored (${(report.timing.duration_ms / 1000).toFixed(1)} s)`,
    ]);
  }
  const contexts = report.placements
    .filter((placement) => placement.context === "last-item")
    .map((placement) => placement.id);
  entries.push([
    "context item",
    contexts.length > 0 ? `the visitor's latest item, for ${contexts.join(", ")}` : "none",
  ]);
  return `<dl>${entries.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>`;
}
