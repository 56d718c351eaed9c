import { useCallback, useMemo, useState } from "react";
import type { StatsResponse } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { Link } from "../app/router.js";
import { usePolling } from "../app/use-async.js";
import { LineChart } from "../charts/line-chart.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/feedback.js";
import { formatCount, formatNumber, formatRate, formatShare } from "../ui/format.js";
import { usePageTitle } from "../ui/page-title.js";
import { appendSample, eventRates, latencies, placementRows, type Sample } from "./history.js";

/** Live numbers, refreshed from GET /v1/stats every `pollMs` (2 s by default). */
export function DashboardPage({ pollMs = 2000 }: { pollMs?: number }) {
  usePageTitle("Dashboard");
  const api = useApi();
  const [history, setHistory] = useState<Sample[]>([]);
  const record = useCallback(
    (stats: StatsResponse) =>
      setHistory((previous) => appendSample(previous, { t: Date.now() / 1000, stats })),
    [],
  );
  const polled = usePolling(() => api.stats(), pollMs, record);
  const rates = useMemo(() => eventRates(history), [history]);
  const latency = useMemo(() => latencies(history), [history]);
  const stats = polled.value;

  return (
    <>
      <h1>Dashboard</h1>
      {polled.error ? (
        <ErrorMessage
          error={polled.error}
          action={stats ? <p>Showing the last numbers received.</p> : null}
        />
      ) : null}
      {!stats ? (
        polled.error ? null : (
          <Loading what="the statistics" />
        )
      ) : (
        <>
          <Tiles stats={stats} />
          {stats.totalEvents === 0 ? (
            <EmptyState title="No events yet">
              <p>
                Nothing has been sent to this server. Add an item with{" "}
                <Link to="events/ItemUpsert">ItemUpsert</Link> and a view with{" "}
                <Link to="events/DetailItemView">DetailItemView</Link>, or paste NDJSON on the{" "}
                <Link to="events">Events</Link> page; these numbers move as events arrive.
              </p>
            </EmptyState>
          ) : null}
          <div className="charts">
            <LineChart
              title="Events accepted per second, by type (last-minute average)"
              unit="events / s"
              x={rates.x}
              series={
                rates.series.length > 0 ? rates.series : [{ label: "all", values: rates.x.map(() => 0) }]
              }
            />
            <LineChart
              title="Recommendation latency over the last minute"
              unit="ms"
              x={latency.x}
              series={latency.series}
            />
          </div>
          <Placements stats={stats} />
          <EventCounts stats={stats} />
        </>
      )}
    </>
  );
}

function Tiles({ stats }: { stats: StatsResponse }) {
  const perSecond = Object.values(stats.live.events_per_second).reduce((sum, rate) => sum + rate, 0);
  const tiles: [string, string, string][] = [
    ["events", formatCount(stats.totalEvents), `${formatCount(stats.duplicates)} duplicates ignored`],
    ["events / s", formatRate(perSecond), `average of the last ${formatCount(stats.live.window_seconds)} s`],
    ["items", formatCount(stats.items), `${formatCount(stats.catalogued)} in the catalog`],
    ["visitors", formatCount(stats.visitors), "visitor and user profiles"],
    ["recommendations / s", formatRate(stats.live.recommend.requests_per_second), "last minute"],
    [
      "p95 latency",
      stats.live.recommend.latency_ms ? `${formatRate(stats.live.recommend.latency_ms.p95)} ms` : "—",
      "recommendations, last minute",
    ],
  ];
  return (
    <dl className="tiles">
      {tiles.map(([label, value, note]) => (
        <div className="tile" key={label}>
          <dt>{label}</dt>
          <dd data-testid={`tile-${label}`}>{value}</dd>
          <dd className="hint">{note}</dd>
        </div>
      ))}
    </dl>
  );
}

function Placements({ stats }: { stats: StatsResponse }) {
  const rows = placementRows(stats);
  return (
    <section>
      <h2>Placements</h2>
      {rows.length === 0 ? (
        <p>
          No recommendation requests yet. Ask for recommendations with <code>POST /v1/recommend</code>; a{" "}
          <code>RecoShow</code> counts impressions and a <code>RecoAck</code> clicks. A placement's preview on
          the <Link to="placements">Placements</Link> page changes nothing here.
        </p>
      ) : (
        <table className="numbers">
          <caption>
            Since the data directory began. CTR = clicks ÷ impressions; conversion = purchases ÷ clicks.
          </caption>
          <thead>
            <tr>
              {[
                "placement",
                "requests",
                "impressions",
                "clicks",
                "CTR",
                "carts",
                "purchases",
                "conversion",
                "revenue",
                "p95 ms",
              ].map((label) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.placement}>
                <th scope="row">
                  <Link to={`placements/${encodeURIComponent(row.placement)}`}>{row.placement}</Link>
                </th>
                <td>{formatCount(row.requests)}</td>
                <td>{formatCount(row.impressions)}</td>
                <td>{formatCount(row.clicks)}</td>
                <td>{formatShare(row.clicks, row.impressions)}</td>
                <td>{formatCount(row.carts)}</td>
                <td>{formatCount(row.purchases)}</td>
                <td>{formatShare(row.purchases, row.clicks)}</td>
                <td>{formatNumber(row.revenue)}</td>
                <td>{row.p95Ms === null ? "—" : formatRate(row.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EventCounts({ stats }: { stats: StatsResponse }) {
  const rows = Object.entries(stats.events).sort(([, a], [, b]) => b - a);
  if (rows.length === 0) return null;
  return (
    <section>
      <h2>Events by type</h2>
      <table className="numbers">
        <thead>
          <tr>
            <th scope="col">event type</th>
            <th scope="col">applied</th>
            <th scope="col">per second (last minute)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([type, count]) => (
            <tr key={type}>
              <th scope="row">
                <Link to={`events/${type}`}>{type}</Link>
              </th>
              <td data-testid={`count-${type}`}>{formatCount(count)}</td>
              <td>{formatRate(stats.live.events_per_second[type] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
