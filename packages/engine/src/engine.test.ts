import { describe, expect, it } from "vitest";
import { createEngine } from "./engine.js";
import { InvalidFilterError, InvalidRequestError, UnknownPlacementError } from "./errors/engine-errors.js";
import { cart, ids, item, MINUTE, request, T0, view } from "./test-events.js";

describe("createEngine", () => {
  it("starts with the documented default placements", () => {
    const engine = createEngine();
    expect(engine.placements().map((placement) => placement.placement_id)).toEqual([
      "home_for_you",
      "product_page_similar",
      "cart_fbt",
      "trending",
      "recently_viewed",
      "buy_it_again",
      "search",
    ]);
    expect(createEngine({ defaultPlacements: false }).placements()).toEqual([]);
  });

  it("counts applied events per type, items and visitors", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a"),
      item("b"),
      view("v1", "a", T0),
      view("v2", "b", T0 + 1),
      cart("v1", ["a"], T0 + 2),
    ]);
    const stats = engine.stats();
    expect(stats.events).toEqual({ AddToCart: 1, DetailItemView: 2, ItemUpsert: 2 });
    expect(stats.totalEvents).toBe(5);
    expect(stats.items).toBe(2);
    expect(stats.catalogued).toBe(2);
    expect(stats.visitors).toBe(2);
    expect(stats.now).toBe(T0 + 2);
  });

  it("applies a repeated event_id once within the dedupe window, and again after it", () => {
    const engine = createEngine({ dedupeWindowMs: 10 * MINUTE });
    expect(engine.apply(view("v", "a", T0, { event_id: "e1" }))).toBe("applied");
    expect(engine.apply(view("v", "a", T0 + MINUTE, { event_id: "e1" }))).toBe("duplicate");
    expect(engine.stats().duplicates).toBe(1);
    expect(engine.inspectItem("a")?.popularity.view).toBeCloseTo(1, 3);
    expect(engine.apply(view("v", "a", T0 + 11 * MINUTE, { event_id: "e1" }))).toBe("applied");
  });

  it("stamps an event without event_time with the latest time applied", () => {
    const engine = createEngine();
    engine.apply(view("v", "a", T0 + 5 * MINUTE));
    const { event_time: _time, ...undated } = view("v", "b", 0);
    engine.apply(undated);
    expect(engine.inspectVisitor("v")?.history[0]).toEqual({
      item_id: "b",
      kind: "view",
      time: T0 + 5 * MINUTE,
    });
  });

  it("refuses a request for an unknown placement, naming the known ones, and changes nothing", () => {
    const engine = createEngine();
    engine.apply(view("v", "a", T0));
    const before = engine.stateHash();
    const error = (() => {
      try {
        engine.recommend(request("v2", "home_page_top", T0 + 1));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnknownPlacementError);
    expect((error as UnknownPlacementError).placement).toBe("home_page_top");
    expect((error as Error).message).toContain("known placements: buy_it_again, cart_fbt, home_for_you");
    expect(engine.stateHash()).toBe(before);
  });

  it("refuses a count above max_count and a filter that cannot apply, changing nothing", () => {
    const engine = createEngine();
    const before = engine.stateHash();
    expect(() => engine.recommend(request("v", "trending", T0, { count: 500 }))).toThrow(InvalidRequestError);
    expect(() =>
      engine.recommend(request("v", "trending", T0, { filter: { range: { field: "title", gte: 1 } } })),
    ).toThrow(InvalidFilterError);
    expect(engine.stateHash()).toBe(before);
  });

  it("keeps applying a batch after an event it refuses, and reports which one failed", () => {
    const engine = createEngine();
    const result = engine.applyBatch([
      view("v", "a", T0),
      request("v", "nope", T0 + 1),
      view("v", "b", T0 + 2),
    ]);
    expect(result.applied).toBe(2);
    expect(result.failed.map((failure) => [failure.index, failure.error.constructor.name])).toEqual([
      [1, "UnknownPlacementError"],
    ]);
    expect(engine.inspectVisitor("v")?.history.map((entry) => entry.item_id)).toEqual(["b", "a"]);
  });

  it("answers recommend with a rec_id, the placement and explained items, and logs the request as an event", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a"),
      item("b"),
      view("v1", "a", T0),
      view("v1", "b", T0 + 1),
      view("v2", "b", T0 + 2),
    ]);
    const response = engine.recommend(request("v3", "trending", T0 + 3));
    expect(response.placement).toBe("trending");
    expect(response.rec_id).toMatch(/^r-/);
    expect(ids(response)).toEqual(["b", "a"]);
    expect(response.items.every((entry) => entry.strategy === "popular" && entry.score > 0)).toBe(true);
    expect(engine.stats().events.RecoRequest).toBe(1);
    expect(engine.stats().attribution.find((entry) => entry.placement === "trending")?.requests).toBe(1);
  });

  it("gives the same rec_id and response when the same events are replayed", () => {
    const events = [
      item("a"),
      view("v1", "a", T0),
      request("v1", "trending", T0 + 1),
      request("v1", "trending", T0 + 1),
    ];
    const first = createEngine();
    const second = createEngine();
    const answers = events.map((event) =>
      event.event_type === "RecoRequest" ? first.recommend(event) : first.apply(event),
    );
    second.applyBatch(events);
    expect(answers[2]).not.toEqual(answers[3]);
    expect(first.stateHash()).toBe(second.stateHash());
    const replayed = createEngine();
    const again = events.map((event) =>
      event.event_type === "RecoRequest" ? replayed.recommend(event) : replayed.apply(event),
    );
    expect(again).toEqual(answers);
  });

  it("previews a request, or a placement that is not live, without changing state", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a"),
      item("b"),
      view("v1", "a", T0),
      view("v1", "a", T0 + 1),
      view("v1", "b", T0 + 2),
    ]);
    const before = engine.stateHash();
    expect(ids(engine.preview(request("v9", "trending", T0 + 3)))).toEqual(["a", "b"]);
    const draft = engine.preview(request("v9", "anything", T0 + 3), {
      placement_id: "draft",
      strategies: [{ strategy: "popular" }],
      filter: { eq: { field: "item_id", value: "b" } },
    });
    expect(draft.placement).toBe("draft");
    expect(ids(draft)).toEqual(["b"]);
    expect(engine.stateHash()).toBe(before);
    expect(engine.inspectVisitor("v9")).toBeUndefined();
  });
});

describe("check", () => {
  it("throws what apply would throw, without applying anything", () => {
    const engine = createEngine();
    const before = engine.stateHash();
    expect(() => engine.check(request("v", "nope", T0))).toThrow(UnknownPlacementError);
    expect(() =>
      engine.check({
        event_type: "PlacementUpsert",
        placement_id: "p",
        strategies: [{ strategy: "popular" }],
        count: 50,
        max_count: 10,
      }),
    ).toThrow(InvalidRequestError);
    expect(() => engine.check(view("v", "a", T0))).not.toThrow();
    expect(() => engine.check(request("v", "trending", T0))).not.toThrow();
    expect(engine.stateHash()).toBe(before);
  });
});
