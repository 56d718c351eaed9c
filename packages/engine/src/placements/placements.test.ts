import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { UnknownPlacementError } from "../errors/engine-errors.js";
import { cart, ids, item, placement, purchase, request, T0, view } from "../test-events.js";

/** Five items viewed 10, 8, 6, 4, 2 times: trending ranks them a, b, c, d, e. */
function ranked() {
  const engine = createEngine();
  const events = [];
  for (const [rank, itemId] of ["a", "b", "c", "d", "e"].entries()) {
    events.push(
      item(itemId, {
        price: { display: (rank + 1) * 10, currency: "EUR" },
        brand: rank % 2 ? "Odd" : "Even",
      }),
    );
    for (let count = 0; count < 2 * (5 - rank); count++) events.push(view(`crowd-${count}`, itemId, T0));
  }
  engine.applyBatch(events);
  return engine;
}

describe("placements", () => {
  it("blends strategies by weight and explains each item by its strongest strategy", () => {
    const engine = createEngine({ normalisation: "count" });
    engine.applyBatch([
      view("v1", "ctx", T0),
      view("v1", "pair", T0 + 1),
      view("v2", "hit", T0),
      view("v3", "hit", T0),
      placement("mix", [
        { strategy: "cooccurrence", weight: 1 },
        { strategy: "popular", weight: 0.5, params: { kinds: ["view"] } },
      ]),
    ]);
    const response = engine.recommend(request("w", "mix", T0 + 2, { context_item_ids: ["ctx"] }));
    expect(response.items.map((entry) => [entry.item_id, entry.strategy])).toEqual([
      ["pair", "cooccurrence"],
      ["hit", "popular"],
    ]);
  });

  it("uses the default count and respects the requested count", () => {
    const engine = ranked();
    engine.apply(placement("three", [{ strategy: "popular" }], { count: 3 }));
    expect(ids(engine.recommend(request("w", "three", T0 + 1)))).toEqual(["a", "b", "c"]);
    expect(ids(engine.recommend(request("w", "three", T0 + 1, { count: 2 })))).toEqual(["a", "b"]);
  });

  it("falls back in order when the blend has too few candidates, after the blend's items", () => {
    const engine = ranked();
    engine.apply({
      event_type: "OfflineRecommendationsUpsert",
      key_type: "visitor",
      key: "w",
      items: [{ item_id: "e", score: 1 }],
    });
    engine.apply(
      placement("with_fallback", [{ strategy: "offline" }], {
        fallback: [{ strategy: "popular" }],
        count: 3,
      }),
    );
    const response = engine.recommend(request("w", "with_fallback", T0 + 1));
    expect(ids(response)).toEqual(["e", "a", "b"]);
    expect(response.items.map((entry) => entry.strategy)).toEqual([
      "offline",
      "fallback:popular",
      "fallback:popular",
    ]);
    expect(response.items[1]!.score).toBeLessThan(response.items[0]!.score);
  });

  it("never returns the context items, requested exclusions or removed items", () => {
    const engine = ranked();
    engine.apply({ event_type: "ItemRemove", item_id: "c" });
    const response = engine.recommend(
      request("w", "trending", T0 + 1, { context_item_ids: ["a"], exclude_item_ids: ["b"] }),
    );
    expect(ids(response)).toEqual(["d", "e"]);
  });

  it("excludes items in the cart and bought items by default, and seen-in-session items when asked", () => {
    const engine = ranked();
    engine.applyBatch([
      cart("w", ["a"], T0 + 1),
      purchase("w", ["b"], T0 + 2, "o-1"),
      view("w", "c", T0 + 3),
    ]);
    engine.apply(placement("top", [{ strategy: "popular", params: { kinds: ["view"] } }]));
    expect(ids(engine.recommend(request("w", "top", T0 + 4)))).toEqual(["c", "d", "e"]);
    engine.apply(
      placement("unseen", [{ strategy: "popular", params: { kinds: ["view"] } }], {
        exclude: { seen_in_session: true },
      }),
    );
    expect(ids(engine.recommend(request("w", "unseen", T0 + 4)))).toEqual(["d", "e"]);
    engine.apply(
      placement("everything", [{ strategy: "popular", params: { kinds: ["view"] } }], {
        exclude: { in_cart: false, purchased: false },
      }),
    );
    expect(ids(engine.recommend(request("w", "everything", T0 + 4)))).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("applies the placement's filter and the request's filter together", () => {
    const engine = ranked();
    engine.apply(
      placement("cheap", [{ strategy: "popular" }], { filter: { range: { field: "price", lte: 30 } } }),
    );
    expect(ids(engine.recommend(request("w", "cheap", T0 + 1)))).toEqual(["a", "b", "c"]);
    expect(
      ids(
        engine.recommend(request("w", "cheap", T0 + 1, { filter: { eq: { field: "brand", value: "Odd" } } })),
      ),
    ).toEqual(["b"]);
  });

  it("boosts multiply the score of matching items", () => {
    const engine = ranked();
    engine.apply(
      placement("boosted", [{ strategy: "popular", params: { kinds: ["view"] } }], {
        boosts: [{ filter: { eq: { field: "item_id", value: "e" } }, factor: 10 }],
      }),
    );
    expect(ids(engine.recommend(request("w", "boosted", T0 + 1)))).toEqual(["e", "a", "b", "c", "d"]);
  });

  it("PlacementUpsert replaces a placement and PlacementRemove removes it", () => {
    const engine = ranked();
    engine.apply(placement("trending", [{ strategy: "popular" }], { count: 1 }));
    expect(ids(engine.recommend(request("w", "trending", T0 + 1)))).toEqual(["a"]);
    engine.apply({ event_type: "PlacementRemove", placement_id: "trending" });
    expect(() => engine.recommend(request("w", "trending", T0 + 1))).toThrow(UnknownPlacementError);
  });

  it("a placement naming a pair of kinds starts counting that pair", () => {
    const engine = createEngine({ normalisation: "count" });
    engine.apply(
      placement("viewed_then_listed", [
        { strategy: "cooccurrence", params: { from_kind: "view", to_kind: "list" } },
      ]),
    );
    engine.applyBatch([
      view("v", "a", T0),
      {
        event_type: "AddToList",
        user_info: { visitor_id: "v" },
        list_id: "wish",
        item: { item_id: "b" },
        event_time: T0 + 1,
      },
    ]);
    expect(
      ids(engine.recommend(request("w", "viewed_then_listed", T0 + 2, { context_item_ids: ["a"] }))),
    ).toEqual(["b"]);
  });
});
