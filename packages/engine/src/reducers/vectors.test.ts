import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EVENT_TYPES, eventRegistry, type SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { placement } from "../test-events.js";
import { REDUCERS } from "./index.js";

const examples = fileURLToPath(new URL("../../../../schemas/examples", import.meta.url));
const GROUP_ORDER = ["config", "catalog", "identity", "behaviour", "reco"];

/** Every valid test vector of every event type, configuration first so requests find their placements. */
function validVectors(): SibylEvent[] {
  return EVENT_TYPES.flatMap((eventType) =>
    readdirSync(join(examples, eventType, "valid"))
      .sort()
      .map(
        (file) => JSON.parse(readFileSync(join(examples, eventType, "valid", file), "utf8")) as SibylEvent,
      ),
  ).sort(
    (a, b) =>
      GROUP_ORDER.indexOf(eventRegistry[a.event_type].group) -
      GROUP_ORDER.indexOf(eventRegistry[b.event_type].group),
  );
}

describe("reducers", () => {
  it("exist for every event type of the registry", () => {
    expect(Object.keys(REDUCERS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("apply every valid test vector of every event type", () => {
    const engine = createEngine();
    const vectors = validVectors();
    const placements = new Set(
      vectors.flatMap((event) =>
        event.event_type === "RecoRequest" || event.event_type === "SmartSearchRequest"
          ? [event.placement ?? "search"]
          : [],
      ),
    );
    for (const placementId of placements) {
      if (!engine.placements().some((known) => known.placement_id === placementId)) {
        engine.apply(placement(placementId, [{ strategy: "popular" }]));
      }
    }
    const result = engine.applyBatch(vectors);
    expect(
      result.failed.map((failure) => `${vectors[failure.index]!.event_type}: ${failure.error.message}`),
    ).toEqual([]);
    const counts = engine.stats().events;
    for (const eventType of EVENT_TYPES) expect(counts[eventType] ?? 0, eventType).toBeGreaterThan(0);
  });
});

describe("page views without a main item", () => {
  it("keep the visitor's session alive without adding to the history", () => {
    const engine = createEngine({ sessionTimeoutMs: 60_000 });
    const who = { visitor_id: "v" };
    const t = 1_767_225_600_000;
    engine.applyBatch([
      { event_type: "DetailItemView", user_info: who, item: { item_id: "a" }, event_time: t },
      { event_type: "HomePageView", user_info: who, event_time: t + 50_000 },
      { event_type: "PageVisit", user_info: who, page_type: "faq", event_time: t + 100_000 },
      { event_type: "CategoryPageView", user_info: who, page_categories: ["Shoes"], event_time: t + 150_000 },
      {
        event_type: "SearchItems",
        user_info: who,
        query: "boots",
        result_item_ids: [],
        event_time: t + 200_000,
      },
      { event_type: "DetailItemView", user_info: who, item: { item_id: "b" }, event_time: t + 250_000 },
    ]);
    const visitor = engine.inspectVisitor("v");
    expect(visitor?.history.map((entry) => entry.item_id)).toEqual(["b", "a"]);
    expect(visitor?.session.started_at).toBe(t);
  });
});
