import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { cart, ids, item, MINUTE, purchase, request, T0, view } from "../test-events.js";

describe("behaviour reducers", () => {
  it("a detail view enters the visitor's history and the item's view count", () => {
    const engine = createEngine();
    engine.apply(view({ visitor_id: "v", session_id: "s1" }, "a", T0));
    expect(engine.inspectVisitor("v")).toMatchObject({
      kind: "visitor",
      id: "v",
      history: [{ item_id: "a", kind: "view", time: T0 }],
      session: { started_at: T0 },
    });
    expect(engine.inspectItem("a")?.popularity).toEqual({ view: 1 });
  });

  it("keeps only the configured number of history entries per visitor, newest first", () => {
    const engine = createEngine({ historyLength: 3 });
    for (const [index, itemId] of ["a", "b", "c", "d"].entries()) engine.apply(view("v", itemId, T0 + index));
    expect(engine.inspectVisitor("v")?.history.map((entry) => entry.item_id)).toEqual(["d", "c", "b"]);
  });

  it("starts a new session after inactivity or with a new session_id", () => {
    const engine = createEngine({ sessionTimeoutMs: 30 * MINUTE });
    engine.apply(view("v", "a", T0));
    engine.apply(view("v", "b", T0 + 10 * MINUTE));
    expect(engine.inspectVisitor("v")?.session.started_at).toBe(T0);
    engine.apply(view("v", "c", T0 + 50 * MINUTE));
    expect(engine.inspectVisitor("v")?.session).toMatchObject({
      started_at: T0 + 50 * MINUTE,
      items: [{ item_id: "c" }],
    });
    engine.apply(view({ visitor_id: "v", session_id: "s2" }, "d", T0 + 51 * MINUTE));
    engine.apply(view({ visitor_id: "v", session_id: "s3" }, "e", T0 + 52 * MINUTE));
    expect(engine.inspectVisitor("v")?.session.started_at).toBe(T0 + 52 * MINUTE);
  });

  it("tracks the cart through add, remove, the cart page and purchase", () => {
    const engine = createEngine();
    engine.apply(cart("v", ["a", "b"], T0));
    engine.apply({
      event_type: "RemoveFromCart",
      user_info: { visitor_id: "v" },
      items: [{ item_id: "a" }],
      event_time: T0 + 1,
    });
    expect(engine.inspectVisitor("v")?.cart).toEqual(["b"]);
    engine.apply({
      event_type: "CartPageView",
      user_info: { visitor_id: "v" },
      items: [{ item_id: "c" }, { item_id: "b" }],
      event_time: T0 + 2,
    });
    expect(engine.inspectVisitor("v")?.cart).toEqual(["c", "b"]);
    engine.apply(purchase("v", ["b"], T0 + 3, "o-1"));
    expect(engine.inspectVisitor("v")).toMatchObject({
      cart: ["c"],
      purchased: [{ item_id: "b", count: 1 }],
    });
  });

  it("keeps wish lists per list id", () => {
    const engine = createEngine();
    const who = { visitor_id: "v" };
    engine.apply({
      event_type: "AddToList",
      user_info: who,
      list_id: "wish",
      item: { item_id: "a" },
      event_time: T0,
    });
    engine.apply({
      event_type: "AddToList",
      user_info: who,
      list_id: "wish",
      item: { item_id: "b" },
      event_time: T0 + 1,
    });
    engine.apply({
      event_type: "RemoveFromList",
      user_info: who,
      list_id: "wish",
      item: { item_id: "a" },
      event_time: T0 + 2,
    });
    expect(engine.inspectVisitor("v")?.lists).toEqual({ wish: ["b"] });
    expect(engine.inspectItem("a")?.popularity.list).toBeCloseTo(1, 3);
  });

  it("Refund undoes the purchase signal: popularity, purchased items and co-purchases", () => {
    const engine = createEngine();
    engine.applyBatch([item("a"), item("b"), item("c")]);
    engine.apply(purchase("v1", ["a", "b"], T0, "o-1"));
    engine.apply(purchase("v2", ["c"], T0, "o-2"));
    expect(
      ids(engine.recommend(request("w", "buy_it_again", T0 + 1, { user_info: { visitor_id: "v1" } }))),
    ).toEqual(["b", "a"]);
    expect(engine.inspectItem("a")?.neighbours.basket?.map((entry) => entry.item_id)).toEqual(["b"]);
    engine.apply({
      event_type: "Refund",
      user_info: { visitor_id: "v1" },
      transaction_id: "o-1",
      items: [{ item_id: "a" }],
      event_time: T0 + 2,
    });
    expect(engine.inspectItem("a")?.popularity.purchase).toBeUndefined();
    expect(engine.inspectItem("a")?.neighbours.basket).toBeUndefined();
    expect(engine.inspectVisitor("v1")?.purchased).toEqual([{ item_id: "b", count: 1 }]);
  });

  it("a rating of at least 60 % of the scale is a positive signal; a lower one only marks the item as known", () => {
    const engine = createEngine();
    const rate = (itemId: string, rating: number) =>
      engine.apply({
        event_type: "RateItem",
        user_info: { visitor_id: "v" },
        item: { item_id: itemId },
        rating,
        scale_max: 5,
        event_time: T0,
      });
    rate("good", 4);
    rate("bad", 2);
    expect(engine.inspectVisitor("v")?.history.map((entry) => [entry.item_id, entry.kind])).toEqual([
      ["bad", "seen"],
      ["good", "rating"],
    ]);
    expect(engine.inspectItem("good")?.popularity).toEqual({ rating: 1 });
    expect(engine.inspectItem("bad")?.popularity).toEqual({});
  });

  it("counts non_personalized events in aggregates but stores nothing against the visitor", () => {
    const engine = createEngine();
    engine.apply(view({ visitor_id: "anon", privacy: "non_personalized" }, "a", T0));
    engine.apply(cart({ visitor_id: "anon", privacy: "non_personalized" }, ["a"], T0 + 1));
    expect(engine.inspectVisitor("anon")).toBeUndefined();
    expect(engine.stats().visitors).toBe(0);
    expect(engine.inspectItem("a")?.popularity).toEqual({ view: 1, cart: 1 });
  });

  it("counts video starts and completions as views, not pauses or progress", () => {
    const engine = createEngine();
    for (const action of ["play", "progress", "pause", "complete"] as const) {
      engine.apply({
        event_type: "VideoInteraction",
        user_info: { visitor_id: "v" },
        item: { item_id: "clip" },
        action,
        event_time: T0,
      });
    }
    expect(engine.inspectVisitor("v")?.history).toHaveLength(2);
  });
});
