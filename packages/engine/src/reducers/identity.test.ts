import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { cart, ids, placement, purchase, request, T0, view } from "../test-events.js";

const SECOND = 1000;

describe("UserMerge", () => {
  it("joins the anonymous visitor's history, cart and purchases into the user's, and follows the alias after", () => {
    const engine = createEngine();
    engine.applyBatch([
      view("anon", "a", T0),
      cart("anon", ["b"], T0 + SECOND),
      view({ visitor_id: "laptop", user_id: "alice" }, "c", T0 + 2 * SECOND),
      purchase("anon", ["d"], T0 + 3 * SECOND, "o-1"),
      { event_type: "UserMerge", from_visitor_id: "anon", to_user_id: "alice", event_time: T0 + 4 * SECOND },
      view("anon", "e", T0 + 5 * SECOND),
    ]);
    const alice = engine.inspectVisitor({ user_id: "alice" });
    expect(alice?.history.map((entry) => entry.item_id)).toEqual(["e", "d", "c", "b", "a"]);
    expect(alice?.cart).toEqual(["b"]);
    expect(alice?.purchased).toEqual([{ item_id: "d", count: 1 }]);
    expect(engine.inspectVisitor("anon")).toMatchObject({ kind: "user", id: "alice" });
    expect(engine.stats().visitors).toBe(2);
  });
});

describe("UserForget", () => {
  it("leaves nothing retrievable about the person: profile, ids, lists, and their trace in every strategy", () => {
    const engine = createEngine({ normalisation: "count" });
    engine.applyBatch([
      view("other", "a", T0),
      view("other", "b", T0 + 1),
      view("secret", "a", T0 + 2),
      view("secret", "c", T0 + 3),
      purchase("secret", ["c"], T0 + 4, "o-1"),
      { event_type: "UserMerge", from_visitor_id: "secret", to_user_id: "secret-user", event_time: T0 + 5 },
      {
        event_type: "OfflineRecommendationsUpsert",
        key_type: "user",
        key: "secret-user",
        items: [{ item_id: "z", score: 1 }],
      },
      placement("imported", [{ strategy: "offline" }]),
    ]);
    const popularityBefore = engine.inspectItem("c")?.popularity;
    engine.apply({ event_type: "UserForget", id_kind: "visitor", id: "secret", event_time: T0 + 6 });

    expect(engine.inspectVisitor("secret")).toBeUndefined();
    expect(engine.inspectVisitor({ user_id: "secret-user" })).toBeUndefined();
    expect(engine.stats().visitors).toBe(1);
    // Only anonymous popularity can still answer for them: no strategy that reads a visitor knows anything.
    for (const placementId of ["home_for_you", "recently_viewed", "buy_it_again", "imported"]) {
      for (const user_info of [{ visitor_id: "secret" }, { visitor_id: "secret", user_id: "secret-user" }]) {
        const response = engine.preview(request(user_info, placementId, T0 + 7));
        expect(
          response.items.filter((entry) => !entry.strategy.startsWith("fallback:")),
          placementId,
        ).toEqual([]);
      }
    }
    expect(ids(engine.preview(request("secret", "recently_viewed", T0 + 7)))).toEqual([]);
    // Anonymous aggregates stay.
    expect(engine.inspectItem("c")?.popularity).toEqual(popularityBefore);
  });
});
