import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { cart, ids, item, MINUTE, placement, purchase, request, T0, view } from "../test-events.js";

// Raw co-occurrence counts make neighbour rankings checkable by hand; LLR is tested on its own.
const counting = () => createEngine({ normalisation: "count" });

describe("popular", () => {
  it("ranks by decayed counts weighted by kind", () => {
    const engine = createEngine();
    engine.applyBatch([
      view("v1", "a", T0),
      view("v2", "a", T0),
      view("v3", "a", T0),
      view("v1", "b", T0),
      cart("v1", ["b"], T0),
      view("v1", "c", T0),
    ]);
    // b: 1 view + 1 cart (weight 3) = 4 > a: 3 views > c: 1 view
    expect(ids(engine.recommend(request("w", "trending", T0 + 1)))).toEqual(["b", "a", "c"]);
  });

  it("lets recent interactions outweigh old ones by the popularity half-life", () => {
    const engine = createEngine({ popularityHalfLifeMs: 60 * MINUTE });
    engine.applyBatch([view("v1", "old", T0), view("v2", "old", T0), view("v3", "new", T0 + 180 * MINUTE)]);
    // old: 2 × 2^-3 = 0.25 < new: 1
    expect(ids(engine.recommend(request("w", "trending", T0 + 180 * MINUTE)))).toEqual(["new", "old"]);
  });

  it("ranks within the request's category, including its subcategories", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("shoe", { categories: ["Shoes > Running"] }),
      item("boot", { categories: ["Shoes > Hiking"] }),
      item("hat", { categories: ["Hats"] }),
      view("v1", "hat", T0),
      view("v2", "hat", T0),
      view("v1", "boot", T0),
      view("v1", "shoe", T0),
      view("v2", "shoe", T0),
      placement("category_top", [{ strategy: "popular", params: { per_category: true, kinds: ["view"] } }]),
    ]);
    expect(ids(engine.recommend(request("w", "category_top", T0 + 1, { category: "Shoes" })))).toEqual([
      "shoe",
      "boot",
    ]);
  });
});

describe("cooccurrence", () => {
  it("recommends what the same visitors viewed around the context item, most often first", () => {
    const engine = counting();
    engine.applyBatch([
      view("v1", "a", T0),
      view("v1", "b", T0 + 1),
      view("v2", "a", T0),
      view("v2", "b", T0 + 1),
      view("v3", "c", T0),
      view("v3", "a", T0 + 1),
      view("v4", "d", T0 + 1),
    ]);
    const response = engine.recommend(
      request("w", "product_page_similar", T0 + 2, { context_item_ids: ["a"], count: 2 }),
    );
    expect(ids(response)).toEqual(["b", "c"]);
    expect(response.items[0]).toMatchObject({ strategy: "cooccurrence", context_item_id: "a" });
  });

  it("only pairs interactions within the co-occurrence window", () => {
    const engine = counting();
    engine.applyBatch([
      view("v1", "a", T0),
      view("v1", "far", T0 + 2 * 60 * MINUTE),
      view("v1", "near", T0 + 2 * 60 * MINUTE + 1),
    ]);
    expect(engine.inspectItem("a")?.neighbours["view>view"]).toBeUndefined();
    expect(engine.inspectItem("far")?.neighbours["view>view"]?.map((entry) => entry.item_id)).toEqual([
      "near",
    ]);
  });

  it("frequently bought together counts items of one transaction only", () => {
    const engine = counting();
    engine.applyBatch([
      purchase("v1", ["phone", "case"], T0, "o-1"),
      purchase("v2", ["phone", "case", "charger"], T0, "o-2"),
      purchase("v3", ["phone"], T0, "o-3"),
      purchase("v3", ["cable"], T0 + 1, "o-4"),
    ]);
    expect(ids(engine.recommend(request("w", "cart_fbt", T0 + 2, { context_item_ids: ["phone"] })))).toEqual([
      "case",
      "charger",
      "cable",
    ]);
    const fbt = engine.recommend(request("w", "cart_fbt", T0 + 2, { context_item_ids: ["phone"] }));
    expect(fbt.items.map((entry) => entry.strategy)).toEqual([
      "cooccurrence",
      "cooccurrence",
      "fallback:popular",
    ]);
  });

  it("uses the visitor's recent items when the request has no context item", () => {
    const engine = counting();
    engine.applyBatch([view("v1", "a", T0), view("v1", "b", T0 + 1), view("v2", "a", T0 + 2)]);
    expect(ids(engine.recommend(request("v2", "product_page_similar", T0 + 3, { count: 1 })))).toEqual(["b"]);
  });
});

describe("session and personal", () => {
  it("session: neighbours of this session's items, the latest weighing most", () => {
    const engine = counting();
    engine.applyBatch([
      view("v1", "a", T0),
      view("v1", "x", T0 + 1),
      view("v2", "b", T0),
      view("v2", "y", T0 + 1),
      view("w", "a", T0 + 100 * MINUTE),
      view("w", "b", T0 + 110 * MINUTE),
      placement("next", [{ strategy: "session" }]),
    ]);
    expect(ids(engine.recommend(request("w", "next", T0 + 111 * MINUTE)))).toEqual(["y", "x"]);
    // A new session knows nothing of the last one.
    expect(ids(engine.recommend(request("w", "next", T0 + 300 * MINUTE)))).toEqual([]);
  });

  it("personal: neighbours over the visitor's whole history, strong interactions weighing more", () => {
    const engine = counting();
    engine.applyBatch([
      view("v1", "a", T0),
      view("v1", "x", T0 + 1),
      view("v2", "b", T0),
      view("v2", "y", T0 + 1),
      view("w", "a", T0 + 1000 * MINUTE),
      view("w", "b", T0 + 1000 * MINUTE),
      cart("w", ["b"], T0 + 1000 * MINUTE),
      placement("for_you", [{ strategy: "personal" }], { exclude: { in_cart: false } }),
    ]);
    expect(ids(engine.recommend(request("w", "for_you", T0 + 1001 * MINUTE)))).toEqual(["y", "x"]);
  });

  it("personal reads ratings from the rating → rating table", () => {
    const engine = counting();
    const rate = (visitor: string, itemId: string, time: number) => ({
      event_type: "RateItem" as const,
      user_info: { visitor_id: visitor },
      item: { item_id: itemId },
      rating: 5,
      scale_max: 5,
      event_time: time,
    });
    engine.applyBatch([rate("u1", "alien", T0), rate("u1", "aliens", T0 + 1), rate("u2", "alien", T0 + 2)]);
    expect(ids(engine.recommend(request("u2", "home_for_you", T0 + 3, { count: 1 })))).toEqual(["aliens"]);
  });
});

describe("content", () => {
  it("ranks items sharing categories, tags, brand and price band with the context item", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("ctx", {
        categories: ["Shoes > Running"],
        tags: ["trail", "light"],
        brand: "Acme",
        price: { display: 100, currency: "EUR" },
      }),
      item("twin", {
        categories: ["Shoes > Running"],
        tags: ["trail", "light"],
        brand: "Acme",
        price: { display: 110, currency: "EUR" },
      }),
      item("cousin", {
        categories: ["Shoes > Running"],
        tags: ["road"],
        brand: "Other",
        price: { display: 30, currency: "EUR" },
      }),
      item("uncle", { categories: ["Shoes > Hiking"], brand: "Acme" }),
      item("stranger", { categories: ["Hats"] }),
      placement("similar", [{ strategy: "content" }]),
    ]);
    expect(ids(engine.recommend(request("w", "similar", T0, { context_item_ids: ["ctx"] })))).toEqual([
      "twin",
      "cousin",
      "uncle",
    ]);
  });
});

describe("history", () => {
  it("recent: the visitor's own viewed items, most recent first", () => {
    const engine = createEngine();
    engine.applyBatch([
      view("v", "a", T0),
      view("v", "b", T0 + 1),
      view("v", "a", T0 + 2),
      view("v", "c", T0 + 3),
    ]);
    expect(ids(engine.recommend(request("v", "recently_viewed", T0 + 4)))).toEqual(["c", "a", "b"]);
  });

  it("repeat: bought items, most often bought first", () => {
    const engine = createEngine();
    engine.applyBatch([
      purchase("v", ["soap"], T0, "o-1"),
      purchase("v", ["coffee"], T0 + 1, "o-2"),
      purchase("v", ["coffee"], T0 + 2, "o-3"),
    ]);
    expect(ids(engine.recommend(request("v", "buy_it_again", T0 + 3)))).toEqual(["coffee", "soap"]);
  });
});

describe("offline", () => {
  it("serves imported lists for the visitor and for context items, until they expire", () => {
    const engine = createEngine();
    engine.applyBatch([
      {
        event_type: "OfflineRecommendationsUpsert",
        key_type: "visitor",
        key: "v",
        items: [
          { item_id: "b", score: 0.5 },
          { item_id: "a", score: 0.9 },
        ],
        expires_at: T0 + MINUTE,
      },
      placement("imported", [{ strategy: "offline" }]),
    ]);
    expect(ids(engine.recommend(request("v", "imported", T0)))).toEqual(["a", "b"]);
    expect(ids(engine.recommend(request("v", "imported", T0 + 2 * MINUTE)))).toEqual([]);
  });
});

describe("search", () => {
  it("finds items by title and tags, and lifts those matching the visitor's taste", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("acme-shoe", { title: "Running shoe", brand: "Acme", categories: ["Shoes"] }),
      item("zeta-shoe", { title: "Running shoe", brand: "Zeta", categories: ["Shoes"] }),
      item("zeta-sock", { title: "Sock", brand: "Zeta", categories: ["Socks"] }),
      item("hat", { title: "Sun hat" }),
      view("fan", "zeta-sock", T0),
    ]);
    const anonymous = ids(engine.recommend(request("new", "search", T0 + 1, { query: "running shoes" })));
    expect(anonymous.sort()).toEqual(["acme-shoe", "zeta-shoe"]);
    expect(ids(engine.recommend(request("fan", "search", T0 + 1, { query: "running shoes" })))).toEqual([
      "zeta-shoe",
      "acme-shoe",
    ]);
  });

  it("re-ranks the results of a SmartSearchRequest", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a", { brand: "X" }),
      item("b", { brand: "Y" }),
      item("y2", { brand: "Y" }),
      view("v", "y2", T0),
    ]);
    const response = engine.recommend({
      event_type: "SmartSearchRequest",
      user_info: { visitor_id: "v" },
      query: "anything",
      result_item_ids: ["a", "b"],
      event_time: T0 + 1,
    });
    expect(response.placement).toBe("search");
    expect(ids(response)).toEqual(["b", "a"]);
  });
});
