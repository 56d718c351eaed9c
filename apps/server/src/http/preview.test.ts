import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import {
  errorBodyProblems,
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

function preview(server: RunningServer, body: unknown, key: string | null = SERVER_KEY) {
  return send(`${server.url}/v1/placements/preview`, {
    ...(key === null ? {} : { key }),
    contentType: "application/json",
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const itemIds = (json: unknown) =>
  (json as { items: { item_id: string }[] }).items.map((item) => item.item_id);

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
  const catalog = ["tent", "mat", "stove", "lamp"].map((item_id, index) => ({
    event_type: "ItemUpsert",
    item_id,
    title: item_id,
    categories: ["Outdoor"],
    brand: index % 2 === 0 ? "Acme" : "Northpeak",
    event_time: T0,
  }));
  // Views: tent is the most viewed, then mat, stove, lamp; ann viewed tent and mat.
  const views = [
    ...["ann", "bob", "cid", "dee"].map((visitor, index) =>
      view(visitor, "tent", { event_time: T0 + index }),
    ),
    ...["ann", "bob", "cid"].map((visitor, index) => view(visitor, "mat", { event_time: T0 + 10 + index })),
    ...["bob", "cid"].map((visitor, index) => view(visitor, "stove", { event_time: T0 + 20 + index })),
    view("cid", "lamp", { event_time: T0 + 30 }),
  ];
  expect((await postNdjson(server, [...catalog, ...views])).status).toBe(200);
});
afterAll(() => server.stop());

describe("POST /v1/placements/preview", () => {
  it("answers from the live placement without logging the request or moving any counter", async () => {
    const before = await stats(server);
    const answer = await preview(server, {
      request: { placement: "trending", user_info: { visitor_id: "eve" } },
    });
    expect(answer.status).toBe(200);
    expect(recoResponseProblems(answer.json)).toEqual([]);
    expect(itemIds(answer.json)).toEqual(["tent", "mat", "stove", "lamp"]);
    const after = await stats(server);
    expect(after.totalEvents).toBe(before.totalEvents);
    expect(after.visitors).toBe(before.visitors);
    expect(after.attribution).toEqual(before.attribution);
  });

  it("answers from a draft configuration, which changes nothing live", async () => {
    const draft = {
      placement_id: "trending",
      strategies: [{ strategy: "popular", params: { kinds: ["view"] } }],
      filter: { eq: { field: "brand", value: "Northpeak" } },
      count: 5,
    };
    const drafted = await preview(server, {
      placement: draft,
      request: { user_info: { visitor_id: "eve" } },
    });
    expect(drafted.status).toBe(200);
    expect(drafted.json).toMatchObject({ placement: "trending" });
    expect(itemIds(drafted.json)).toEqual(["mat", "lamp"]);
    // The draft may carry event_type, as the PlacementUpsert form makes it, and name a placement not yet live.
    const fresh = await preview(server, {
      placement: { ...draft, event_type: "PlacementUpsert", placement_id: "northpeak_only" },
      request: { user_info: { visitor_id: "eve" }, count: 1 },
    });
    expect(fresh.status).toBe(200);
    expect(itemIds(fresh.json)).toEqual(["mat"]);
    const live = await preview(server, {
      request: { placement: "trending", user_info: { visitor_id: "eve" } },
    });
    expect(itemIds(live.json)).toEqual(["tent", "mat", "stove", "lamp"]);
    const placements = await send(`${server.url}/v1/placements`, { key: SERVER_KEY });
    const ids = (placements.json as { placements: { placement_id: string }[] }).placements.map(
      (placement) => placement.placement_id,
    );
    expect(ids).not.toContain("northpeak_only");
  });

  it("personalises for the visitor asked about, as /v1/recommend would", async () => {
    const body = { request: { placement: "recently_viewed", user_info: { visitor_id: "ann" } } };
    const answer = await preview(server, body);
    expect(answer.status).toBe(200);
    expect(itemIds(answer.json)).toEqual(["mat", "tent"]);
    expect((answer.json as { items: { strategy: string }[] }).items[0]!.strategy).toBe("history");
  });

  it("points every error into the body, as an ingest report would", async () => {
    const cases: [unknown, number, string, string][] = [
      ["{", 400, "invalid_json", ""],
      [[], 400, "invalid_request", ""],
      [{}, 400, "invalid_request", "/request"],
      [{ request: {}, extra: 1 }, 400, "invalid_request", "/extra"],
      [{ request: { placement: "trending" } }, 400, "invalid_request", "/request/user_info"],
      [
        { placement: { placement_id: "x" }, request: { user_info: { visitor_id: "v" } } },
        400,
        "invalid_request",
        "/placement/strategies",
      ],
      [
        { request: { event_type: "AddToCart", user_info: { visitor_id: "v" } } },
        400,
        "invalid_request",
        "/request/event_type",
      ],
      [
        {
          placement: { placement_id: "x", strategies: [{ strategy: "popular" }], event_type: "ItemUpsert" },
          request: { user_info: { visitor_id: "v" } },
        },
        400,
        "invalid_request",
        "/placement/event_type",
      ],
      [
        {
          placement: {
            placement_id: "x",
            strategies: [{ strategy: "popular" }],
            boosts: [{ filter: { range: { field: "title", gte: 1 } }, factor: 2 }],
          },
          request: { user_info: { visitor_id: "v" } },
        },
        400,
        "invalid_filter",
        "/placement/boosts/0/filter/range/field",
      ],
      [
        {
          request: {
            placement: "trending",
            user_info: { visitor_id: "v" },
            filter: { range: { field: "brand" } },
          },
        },
        400,
        "invalid_filter",
        "/request/filter/range/field",
      ],
      [
        { request: { placement: "nowhere", user_info: { visitor_id: "v" } } },
        404,
        "unknown_placement",
        "/request/placement",
      ],
    ];
    for (const [body, status, code, pointer] of cases) {
      const answer = await preview(server, body);
      const label = JSON.stringify(body);
      expect(answer.status, label).toBe(status);
      expect(errorBodyProblems(answer.json), label).toEqual([]);
      expect(answer.json, label).toMatchObject({ error: code });
      expect((answer.json as { errors: { pointer: string }[] }).errors[0]!.pointer, label).toBe(pointer);
    }
  });

  it("needs a server key", async () => {
    const body = { request: { placement: "trending", user_info: { visitor_id: "v" } } };
    expect((await preview(server, body, null)).status).toBe(401);
    expect((await preview(server, body, TRACKING_KEY)).status).toBe(403);
  });
});
