import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import { LATENCY_SAMPLES, LiveStats, type LiveStatsReport, WINDOW_SECONDS } from "./live-stats.js";
import { get, postNdjson, send, startTestServer, TRACKING_KEY, view } from "./test-support.js";

const events = (type: string, count: number) => Array.from({ length: count }, () => ({ event_type: type }));

describe("LiveStats", () => {
  it("averages accepted events per type and rejected lines over the uptime until a minute has passed", () => {
    let now = 1_000_000;
    const live = new LiveStats(() => now);
    now += 4_000;
    live.ingested([...events("DetailItemView", 6), ...events("AddToCart", 2)], 3);
    now += 6_000;
    live.ingested(events("DetailItemView", 4), 1);
    const report = live.report();
    expect(report.uptime_seconds).toBe(10);
    expect(report.window_seconds).toBe(10);
    expect(report.events_per_second).toEqual({ AddToCart: 0.2, DetailItemView: 1 });
    expect(report.rejected_per_second).toBe(0.4);
  });

  it("forgets what happened more than a minute ago", () => {
    let now = 0;
    const live = new LiveStats(() => now);
    live.ingested(events("HomePageView", 600), 0);
    live.recommended("trending", 0.002);
    now = 30_000;
    live.ingested(events("HomePageView", 60), 0);
    expect(live.report().events_per_second).toEqual({ HomePageView: 22 });
    now = (WINDOW_SECONDS + 29) * 1000;
    const later = live.report();
    expect(later.window_seconds).toBe(WINDOW_SECONDS);
    expect(later.events_per_second).toEqual({ HomePageView: 1 });
    expect(later.recommend).toEqual({ requests_per_second: 0, latency_ms: null, by_placement: {} });
    now = (2 * WINDOW_SECONDS + 31) * 1000;
    expect(live.report().events_per_second).toEqual({});
  });

  it("keeps a bounded number of buckets however long it runs", () => {
    let now = 0;
    const live = new LiveStats(() => now);
    for (let second = 0; second < 10 * WINDOW_SECONDS; second++) {
      now = second * 1000;
      live.ingested(events("PageVisit", 2), 0);
    }
    const buckets = (live as unknown as { buckets: unknown[] }).buckets;
    expect(buckets.length).toBeLessThanOrEqual(WINDOW_SECONDS + 2);
    expect(live.report().events_per_second).toEqual({ PageVisit: 2 });
  });

  it("reports nearest-rank latency quantiles overall and per placement", () => {
    let now = 0;
    const live = new LiveStats(() => now);
    now = 20_000;
    for (let ms = 1; ms <= 100; ms++) live.recommended(ms % 2 === 0 ? "trending" : "home_for_you", ms / 1000);
    const { recommend } = live.report();
    expect(recommend.requests_per_second).toBe(5);
    expect(recommend.latency_ms).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(recommend.by_placement.trending).toEqual({
      requests_per_second: 2.5,
      latency_ms: { p50: 50, p95: 96, p99: 100, max: 100 },
    });
    expect(recommend.by_placement.home_for_you!.latency_ms).toEqual({ p50: 49, p95: 95, p99: 99, max: 99 });
  });

  it("keeps only the latest latencies", () => {
    let now = 0;
    const live = new LiveStats(() => now);
    now = 60_000;
    for (let index = 0; index < LATENCY_SAMPLES; index++) live.recommended("slow", 1);
    for (let index = 0; index < LATENCY_SAMPLES; index++) live.recommended("fast", 0.001);
    const { recommend } = live.report();
    expect(Object.keys(recommend.by_placement)).toEqual(["fast"]);
    expect(recommend.latency_ms).toEqual({ p50: 1, p95: 1, p99: 1, max: 1 });
  });
});

describe("GET /v1/stats live", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const live = async () => {
    const answer = await get(server, "/v1/stats");
    expect(answer.status).toBe(200);
    return (answer.json as { live: LiveStatsReport }).live;
  };

  it("moves when events are ingested and recommendations answered", async () => {
    const before = await live();
    expect(before.events_per_second).toEqual({});
    expect(before.recommend.latency_ms).toBeNull();
    const ingest = await postNdjson(server, [
      view("ann", "tent"),
      view("ann", "mat"),
      { event_type: "ItemUpsert", item_id: "tent", title: "Tent" },
      { event_type: "Nope" },
    ]);
    expect(ingest.status).toBe(207);
    const recommend = await send(`${server.url}/v1/recommend`, {
      key: TRACKING_KEY,
      contentType: "application/json",
      body: JSON.stringify({ placement: "trending", user_info: { visitor_id: "ann" } }),
    });
    expect(recommend.status).toBe(200);
    const after = await live();
    expect(Object.keys(after.events_per_second)).toEqual(["DetailItemView", "ItemUpsert"]);
    expect(after.events_per_second.DetailItemView).toBeGreaterThan(after.events_per_second.ItemUpsert!);
    expect(after.rejected_per_second).toBeGreaterThan(0);
    expect(after.recommend.requests_per_second).toBeGreaterThan(0);
    expect(after.recommend.latency_ms!.max).toBeGreaterThan(0);
    expect(Object.keys(after.recommend.by_placement)).toEqual(["trending"]);
  });
});
