import { describe, expect, it } from "vitest";
import type { StatsResponse } from "../api/types.js";
import { emptyStats } from "../testing/fake-server.js";
import {
  appendSample,
  eventRates,
  HISTORY_LENGTH,
  latencies,
  placementRows,
  type Sample,
} from "./history.js";

function sample(t: number, rates: Record<string, number>, p95: number | null = null): Sample {
  const stats = emptyStats();
  stats.live.events_per_second = rates;
  stats.live.recommend.latency_ms = p95 === null ? null : { p50: p95 / 2, p95, p99: p95 * 2, max: p95 * 3 };
  return { t, stats };
}

describe("the dashboard's history", () => {
  it("keeps a bounded number of samples, the latest", () => {
    let history: Sample[] = [];
    for (let t = 0; t < HISTORY_LENGTH + 10; t++) history = appendSample(history, sample(t, {}));
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history[0]!.t).toBe(10);
  });

  it("draws the busiest event types on their own and the rest as other", () => {
    const history = [
      sample(1, { A: 10, B: 5, C: 1, D: 1 }),
      sample(2, { A: 8, B: 6, C: 2 }),
      sample(3, { B: 4, D: 0.5 }),
    ];
    const { x, series } = eventRates(history, 2);
    expect(x).toEqual([1, 2, 3]);
    expect(series).toEqual([
      { label: "A", values: [10, 8, 0] },
      { label: "B", values: [5, 6, 4] },
      { label: "other", values: [2, 2, 0.5] },
    ]);
  });

  it("leaves a gap where no recommendation was answered", () => {
    const { series } = latencies([sample(1, {}, 2), sample(2, {}), sample(3, {}, 4)]);
    expect(series.map((entry) => entry.label)).toEqual(["p50", "p95", "p99"]);
    expect(series[1]!.values).toEqual([2, null, 4]);
  });

  it("computes CTR and conversion only where there is something to divide by", () => {
    const stats: StatsResponse = emptyStats();
    const counts = {
      requests: 3,
      impressions: 0,
      clicks: 0,
      carts: 0,
      purchases: 0,
      revenue: 0,
      byStrategy: {},
    };
    stats.attribution = [
      { placement: "a", ...counts, impressions: 10, clicks: 4, purchases: 1, revenue: 20 },
      { placement: "b", ...counts },
    ];
    const [a, b] = placementRows(stats);
    expect(a).toMatchObject({ ctr: 0.4, conversion: 0.25, p95Ms: null });
    expect(b).toMatchObject({ ctr: null, conversion: null });
  });
});
