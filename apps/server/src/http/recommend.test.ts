import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import {
  errorBodyProblems,
  get,
  INVALID_KEY,
  postNdjson,
  recoResponseProblems,
  SERVER_KEY,
  send,
  startTestServer,
  stats,
  TRACKING_KEY,
  view,
} from "./test-support.js";

const T0 = 1_767_225_600_000;

/** POST /v1/recommend; `key` null sends none. */
function recommend(server: RunningServer, body: unknown, key: string | null = TRACKING_KEY) {
  return send(`${server.url}/v1/recommend`, {
    ...(key === null ? {} : { key }),
    contentType: "application/json",
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

let server: RunningServer;
const VIEWS = 24;

beforeAll(async () => {
  server = await startTestServer();
  const catalog = Array.from({ length: 6 }, (_, index) => ({
    event_type: "ItemUpsert",
    item_id: `sku-${index}`,
    item_type: "product",
    title: `Item ${index}`,
    categories: ["Shoes > Running"],
    brand: index % 2 === 0 ? "Acme" : "Northpeak",
    price: { display: 10 + index, currency: "EUR" },
    in_stock: true,
    event_time: T0,
  }));
  const views = Array.from({ length: VIEWS }, (_, index) =>
    view(`v-${index % 4}`, `sku-${index % 6}`, { event_time: T0 + 1000 * (index + 1) }),
  );
  const answer = await postNdjson(server, [...catalog, ...views]);
  expect(answer.status).toBe(200);
});
afterAll(() => server.stop());

describe("POST /v1/recommend", () => {
  it("answers a RecoRequest without event_type with a RecoResponse, and logs the request", async () => {
    const before = await stats(server);
    const answer = await recommend(server, {
      user_info: { visitor_id: "v-1" },
      placement: "trending",
      count: 3,
    });
    expect(answer.status).toBe(200);
    expect(recoResponseProblems(answer.json)).toEqual([]);
    const response = answer.json as { rec_id: string; placement: string; items: { item_id: string }[] };
    expect(response.placement).toBe("trending");
    expect(response.items.length).toBeGreaterThan(0);
    expect(response.items.length).toBeLessThanOrEqual(3);
    for (const item of response.items) expect(item.item_id).toMatch(/^sku-\d$/);

    const explicit = await recommend(
      server,
      {
        event_type: "RecoRequest",
        user_info: { visitor_id: "v-2" },
        placement: "home_for_you",
        rec_id: "rec-given-1",
      },
      SERVER_KEY,
    );
    expect(explicit.status).toBe(200);
    expect(recoResponseProblems(explicit.json)).toEqual([]);
    expect(explicit.json).toMatchObject({ rec_id: "rec-given-1", placement: "home_for_you" });

    const search = await recommend(server, {
      event_type: "SmartSearchRequest",
      user_info: { visitor_id: "v-1" },
      placement: "search",
      query: "item",
      result_item_ids: ["sku-1", "sku-2", "sku-3"],
    });
    expect(search.status).toBe(200);
    expect(recoResponseProblems(search.json)).toEqual([]);

    const after = await stats(server);
    expect((after.events.RecoRequest ?? 0) - (before.events.RecoRequest ?? 0)).toBe(2);
    expect((after.events.SmartSearchRequest ?? 0) - (before.events.SmartSearchRequest ?? 0)).toBe(1);
    const attribution = after.attribution as { placement: string; requests: number }[];
    expect(attribution.find((entry) => entry.placement === "trending")?.requests).toBeGreaterThanOrEqual(1);
  });

  it("answers 404 with an ErrorBody for an unknown placement", async () => {
    const before = await stats(server);
    const answer = await recommend(server, {
      user_info: { visitor_id: "v-1" },
      placement: "no_such_placement",
    });
    expect(answer.status).toBe(404);
    expect(errorBodyProblems(answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({ error: "unknown_placement", errors: [{ pointer: "/placement" }] });
    expect(await stats(server)).toEqual(before);
  });

  it("answers 400 with pointers for an invalid request, a count above max_count, or not a request", async () => {
    const before = await stats(server);
    const cases: [unknown, string][] = [
      [{ user_info: {}, placement: "trending" }, "/user_info/visitor_id"],
      [{ user_info: { visitor_id: "v-1" }, placement: "Trending!" }, "/placement"],
      [{ user_info: { visitor_id: "v-1" }, placement: "trending", count: 0 }, "/count"],
      [{ user_info: { visitor_id: "v-1" }, placement: "trending", count: 5000 }, "/count"],
      [{ user_info: { visitor_id: "v-1" }, placement: "trending", count: 900 }, "/count"],
      [{ user_info: { visitor_id: "v-1" }, placement: "trending", colour: "red" }, "/colour"],
      [
        {
          user_info: { visitor_id: "v-1" },
          placement: "trending",
          filter: { eq: { field: "nope", value: 1 } },
        },
        "/filter/eq/field",
      ],
      [
        {
          user_info: { visitor_id: "v-1" },
          placement: "trending",
          filter: { range: { field: "title", gte: 1 } },
        },
        "/filter/range/field",
      ],
      [
        { event_type: "DetailItemView", user_info: { visitor_id: "v-1" }, item: { item_id: "sku-1" } },
        "/event_type",
      ],
      [{ event_type: 7 }, "/event_type"],
      [[{ user_info: { visitor_id: "v-1" }, placement: "trending" }], ""],
      ["null", ""],
      ["{", ""],
      ["", ""],
    ];
    for (const [body, pointer] of cases) {
      const answer = await recommend(server, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(errorBodyProblems(answer.json)).toEqual([]);
      const { errors } = answer.json as { errors: { pointer: string }[] };
      expect(errors[0]?.pointer, JSON.stringify(body)).toBe(pointer);
    }
    const count = await recommend(server, {
      user_info: { visitor_id: "v-1" },
      placement: "trending",
      count: 900,
    });
    expect(count.json).toMatchObject({ error: "invalid_request" });
    expect((count.json as { message: string }).message).toMatch(/max_count/);
    expect(await stats(server)).toEqual(before);
  });

  it("needs a tracking or server key", async () => {
    const body = { user_info: { visitor_id: "v-1" }, placement: "trending" };
    expect((await recommend(server, body, null)).status).toBe(401);
    expect((await recommend(server, body, INVALID_KEY)).status).toBe(401);
    expect((await recommend(server, body, TRACKING_KEY)).status).toBe(200);
    expect((await recommend(server, body, SERVER_KEY)).status).toBe(200);
  });
});

describe("GET /metrics", () => {
  it("exposes event counts, recommendation latency, items, visitors and process metrics", async () => {
    // Engine-refused and invented event types are counted as rejected, never as accepted or as a new label.
    const refused = await postNdjson(server, [
      { event_type: "RecoRequest", user_info: { visitor_id: "v-1" }, placement: "no_such_placement" },
      { event_type: "Teleport_abcdef" },
    ]);
    expect(refused.status).toBe(400);
    const answer = await send(`${server.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = answer.text;
    const value = (series: string) => {
      const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('sibyl_events_total{event_type="DetailItemView",result="accepted"}')).toBe(VIEWS);
    expect(value('sibyl_events_total{event_type="ItemUpsert",result="accepted"}')).toBe(6);
    expect(value('sibyl_events_total{event_type="RecoRequest",result="rejected"}')).toBe(1);
    expect(value('sibyl_events_total{event_type="RecoRequest",result="accepted"}')).toBeUndefined();
    expect(value('sibyl_events_total{event_type="unknown",result="rejected"}')).toBe(1);
    expect(text).not.toContain("Teleport_abcdef");
    expect(text).toMatch(/^sibyl_recommend_duration_seconds_bucket\{[^}]*placement="trending"[^}]*\} \d+$/m);
    expect(value('sibyl_recommend_duration_seconds_count{placement="trending"}')).toBeGreaterThanOrEqual(1);
    const current = await stats(server);
    expect(value("sibyl_items")).toBe(current.items);
    expect(value("sibyl_visitors")).toBe(current.visitors);
    expect(current.items).toBe(6);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^sibyl_placement_requests\{placement="trending"\} \d+$/m);
    // No key is needed, but /metrics is not an API endpoint with a key check either way.
    expect((await get(server, "/metrics", INVALID_KEY)).status).toBe(200);
  });
});
