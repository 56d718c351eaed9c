import { useId, useMemo, useState } from "react";
import type { MetricDefinition, MetricKey } from "@sibyl/evaluate";
import { LineChart } from "../charts/line-chart.js";
import { formatCount, formatNumber, formatTime } from "../ui/format.js";
import type { EvaluationReport } from "./read-report.js";

/** The accuracy metrics every series point carries. */
const SERIES_METRICS = ["hr", "precision", "recall", "ndcg", "mrr"] as const;
type SeriesMetric = (typeof SERIES_METRICS)[number];

/** One report: what was run on what, each placement's metrics side by side, and accuracy over the run. */
export function ReportView({ name, report }: { name: string; report: EvaluationReport }) {
  const { run, dataset, requests } = report;
  const skipped = Object.entries(requests.skipped);
  return (
    <article className="report">
      <h2>{name}</h2>
      <dl className="tiles">
        <Tile
          label="protocol"
          value={run.protocol}
          note={
            run.protocol === "holdout"
              ? `${run.folds ?? "?"} folds`
              : `warm-up ${formatNumber(100 * (run.warmup ?? 0))} %`
          }
        />
        <Tile label="lists of" value={`K = ${run.k}`} note={`targets: ${run.targets.join(", ")}`} />
        <Tile label="events" value={formatCount(dataset.events)} note={dataset.source} />
        <Tile
          label="requests scored"
          value={formatCount(requests.scored)}
          note={
            skipped.length
              ? `skipped: ${skipped.map(([why, count]) => `${why} ${formatCount(count)}`).join(", ")}`
              : "none skipped"
          }
        />
        <Tile
          label="items · visitors"
          value={`${formatCount(dataset.items)} · ${formatCount(dataset.visitors)}`}
          note={`${formatTime(dataset.first_event_time)} – ${formatTime(dataset.last_event_time)}`}
        />
        {report.timing ? (
          <Tile
            label="replay speed"
            value={`${formatCount(report.timing.events_per_second)} events/s`}
            note={`${formatNumber(report.timing.duration_ms / 1000)} s in all`}
          />
        ) : null}
      </dl>
      <MetricsTable report={report} />
      <SeriesChart report={report} />
    </article>
  );
}

function Tile({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="tile">
      <dt>{label}</dt>
      <dd>{value}</dd>
      <dd className="hint">{note}</dd>
    </div>
  );
}

/** Each metric per placement, with a bar scaled to the best placement on that metric. */
function MetricsTable({ report }: { report: EvaluationReport }) {
  const best = useMemo(() => {
    const highest = new Map<MetricKey, number>();
    for (const definition of report.metrics)
      highest.set(
        definition.key,
        Math.max(0, ...report.placements.map((placement) => placement.metrics[definition.key] ?? 0)),
      );
    return highest;
  }, [report]);
  const cell = (definition: MetricDefinition, value: number | undefined) => {
    if (value === undefined) return "—";
    const top = best.get(definition.key) ?? 0;
    const shown = definition.unit === "ratio" ? value.toFixed(4) : `${formatNumber(value)} bits`;
    return (
      <>
        <span className="bar" style={{ width: `${top > 0 ? (100 * value) / top : 0}%` }} />
        {shown}
      </>
    );
  };
  return (
    <section>
      <h3>Placements compared</h3>
      <table className="numbers metrics">
        <caption>
          {report.requests.scored} requests, the same for every row; the longest bar is the best value of its
          column.
        </caption>
        <thead>
          <tr>
            <th scope="col">placement</th>
            {report.metrics.map((definition) => (
              <th scope="col" key={definition.key} title={definition.description}>
                {definition.label}
              </th>
            ))}
            <th scope="col">p50 / p99 µs</th>
          </tr>
        </thead>
        <tbody>
          {report.placements.map((placement) => (
            <tr key={placement.id}>
              <th scope="row" title={placement.description}>
                {placement.id}
              </th>
              {report.metrics.map((definition) => (
                <td key={definition.key}>{cell(definition, placement.metrics[definition.key])}</td>
              ))}
              <td>
                {placement.latency_us
                  ? `${formatNumber(placement.latency_us.p50)} / ${formatNumber(placement.latency_us.p99)}`
                  : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="metric-definitions">
        {report.metrics.map((definition) => (
          <div key={definition.key}>
            <dt>{definition.label}</dt>
            <dd>{definition.description}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** One accuracy metric over the run — by time bucket (prequential) or by fold (holdout) — one line per placement. */
function SeriesChart({ report }: { report: EvaluationReport }) {
  const selectId = useId();
  const [metric, setMetric] = useState<SeriesMetric>("ndcg");
  const { points, axis } = report.series;
  const labelOf = (key: SeriesMetric) =>
    report.metrics.find((definition) => definition.key === key)?.label ?? key;
  const data = useMemo(
    () => ({
      x: points.map((_point, index) => index + 1),
      series: report.placements.map((placement) => ({
        label: placement.id,
        values: points.map((point) => point.values[placement.id]?.[metric] ?? null),
      })),
    }),
    [points, report.placements, metric],
  );
  if (points.length === 0) return <p>The report has no series: the run scored too few requests to split.</p>;
  return (
    <section>
      <h3>Over the run</h3>
      <p>
        <label htmlFor={selectId}>Metric </label>
        <select
          id={selectId}
          value={metric}
          onChange={(event) => setMetric(event.target.value as SeriesMetric)}
        >
          {SERIES_METRICS.map((key) => (
            <option key={key} value={key}>
              {labelOf(key)}
            </option>
          ))}
        </select>{" "}
        <span className="hint">
          {axis === "time"
            ? `x: ${points.length} time buckets of equal numbers of requests, ${formatTime(points[0]?.from_time)} to ${formatTime(points[points.length - 1]?.to_time)}`
            : `x: fold 1 to ${points.length}`}
        </span>
      </p>
      <LineChart
        title={`${labelOf(metric)} per ${axis === "time" ? "time bucket" : "fold"}`}
        unit={labelOf(metric)}
        x={data.x}
        series={data.series}
        time={false}
      />
    </section>
  );
}
