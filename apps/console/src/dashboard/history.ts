import type { ChartSeries } from "../charts/line-chart.js";
import type { StatsResponse } from "../api/types.js";

/** One answer of GET /v1/stats and when it arrived (unix seconds, this browser's clock). */
export interface Sample {
  t: number;
  stats: StatsResponse;
}

/** Samples kept: ten minutes at one every two seconds. */
export const HISTORY_LENGTH = 300;

export function appendSample(history: readonly Sample[], sample: Sample): Sample[] {
  const next = [...history, sample];
  return next.length > HISTORY_LENGTH ? next.slice(next.length - HISTORY_LENGTH) : next;
}

export interface ChartData {
  x: number[];
  series: ChartSeries[];
}

/**
 * Events accepted per second by event type, as the server averaged them over its last minute at each sample
 * (so a chart opened after a burst still shows it): the busiest `top` types on their own, the rest as "other".
 */
export function eventRates(history: readonly Sample[], top = 5): ChartData {
  const totals = new Map<string, number>();
  for (const { stats } of history)
    for (const [type, rate] of Object.entries(stats.live.events_per_second))
      totals.set(type, (totals.get(type) ?? 0) + rate);
  const ranked = [...totals].sort(([a, x1], [b, x2]) => x2 - x1 || a.localeCompare(b)).map(([type]) => type);
  const shown = ranked.slice(0, top);
  const others = ranked.slice(top);
  const series: ChartSeries[] = shown.map((type) => ({
    label: type,
    values: history.map(({ stats }) => stats.live.events_per_second[type] ?? 0),
  }));
  if (others.length > 0)
    series.push({
      label: "other",
      values: history.map(({ stats }) =>
        round(others.reduce((sum, type) => sum + (stats.live.events_per_second[type] ?? 0), 0)),
      ),
    });
  return { x: history.map((sample) => sample.t), series };
}

/** The server's recommendation latency quantiles over its last minute, as they were at each sample. */
export function latencies(history: readonly Sample[]): ChartData {
  const pick = (quantile: "p50" | "p95" | "p99") =>
    history.map((sample) => sample.stats.live.recommend.latency_ms?.[quantile] ?? null);
  return {
    x: history.map((sample) => sample.t),
    series: [
      { label: "p50", values: pick("p50") },
      { label: "p95", values: pick("p95") },
      { label: "p99", values: pick("p99") },
    ],
  };
}

export interface PlacementRow {
  placement: string;
  requests: number;
  impressions: number;
  clicks: number;
  carts: number;
  purchases: number;
  revenue: number;
  /** clicks ÷ impressions, null without impressions. */
  ctr: number | null;
  /** purchases ÷ clicks, null without clicks. */
  conversion: number | null;
  /** The p95 latency of its requests over the last minute, null without any. */
  p95Ms: number | null;
}

/** Every placement's attribution counts and the shares computed from them. */
export function placementRows(stats: StatsResponse): PlacementRow[] {
  return stats.attribution.map((entry) => ({
    placement: entry.placement,
    requests: entry.requests,
    impressions: entry.impressions,
    clicks: entry.clicks,
    carts: entry.carts,
    purchases: entry.purchases,
    revenue: entry.revenue,
    ctr: entry.impressions > 0 ? entry.clicks / entry.impressions : null,
    conversion: entry.clicks > 0 ? entry.purchases / entry.clicks : null,
    p95Ms: stats.live.recommend.by_placement[entry.placement]?.latency_ms?.p95 ?? null,
  }));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
