import { describe, expect, it } from "vitest";
import { createEngine, type Engine, engineInternals } from "../engine.js";
import { ids, item, placement, request, T0, view } from "../test-events.js";

describe("catalog reducers", () => {
  it("ItemUpsert creates or replaces an item whole, normalising category paths", () => {
    const engine = createEngine();
    engine.apply(
      item("sku-1", {
        title: "Trail runner",
        categories: ["Shoes>Running "],
        tags: ["trail"],
        brand: "Acme",
        price: { display: 89.9, original: 120, currency: "EUR" },
        attributes: { color: "red", waterproof: true },
      }),
    );
    expect(engine.inspectItem("sku-1")?.catalog).toEqual({
      item_type: "product",
      title: "Trail runner",
      categories: ["Shoes > Running"],
      tags: ["trail"],
      brand: "Acme",
      price: 89.9,
      original_price: 120,
      currency: "EUR",
      image_urls: [],
      attributes: { color: "red", waterproof: true },
    });
    engine.apply(item("sku-1", { title: "Trail runner 2" }));
    expect(engine.inspectItem("sku-1")?.catalog).toEqual({
      item_type: "product",
      title: "Trail runner 2",
      categories: [],
      tags: [],
      image_urls: [],
      attributes: {},
    });
  });

  it("ItemPatch changes the fields given, merges attributes and clears the fields named in unset", () => {
    const engine = createEngine();
    engine.apply(item("sku-1", { brand: "Acme", tags: ["a"], attributes: { color: "red", size: 42 } }));
    engine.apply({
      event_type: "ItemPatch",
      item_id: "sku-1",
      price: { display: 10, currency: "EUR" },
      attributes: { color: "blue" },
      unset: ["brand"],
    });
    const catalog = engine.inspectItem("sku-1")?.catalog;
    expect(catalog?.brand).toBeUndefined();
    expect(catalog?.tags).toEqual(["a"]);
    expect(catalog?.price).toBe(10);
    expect(catalog?.attributes).toEqual({ color: "blue", size: 42 });
  });

  it("ItemRemove makes an item unrecommendable but keeps its history; an upsert brings it back", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a"),
      item("b"),
      view("v", "a", T0),
      view("v", "a", T0 + 1),
      view("v", "b", T0 + 2),
    ]);
    engine.apply({ event_type: "ItemRemove", item_id: "a" });
    expect(ids(engine.recommend(request("w", "trending", T0 + 3)))).toEqual(["b"]);
    expect(engine.inspectItem("a")).toMatchObject({
      removed: true,
      popularity: { view: expect.any(Number) },
    });
    engine.apply(item("a"));
    expect(ids(engine.recommend(request("w", "trending", T0 + 4)))).toEqual(["a", "b"]);
  });

  it("keeps the search index in step whether an item's text is resent unchanged, changed or removed", () => {
    const engine = createEngine();
    engine.apply(item("a", { title: "Red shoe", tags: ["summer"], categories: ["Shoes"] }));
    engine.apply(item("a", { title: "Red shoe", tags: ["summer"], categories: ["Shoes"], brand: "Acme" }));
    expect(searchIds(engine, "acme")).toEqual(["a"]);
    engine.apply({ event_type: "ItemPatch", item_id: "a", price: { display: 5, currency: "EUR" } });
    expect(searchIds(engine, "red")).toEqual(["a"]);
    engine.apply({ event_type: "ItemPatch", item_id: "a", title: "Blue boot" });
    expect(searchIds(engine, "red")).toEqual([]);
    expect(searchIds(engine, "boot")).toEqual(["a"]);
    engine.apply({ event_type: "ItemRemove", item_id: "a" });
    expect(searchIds(engine, "boot")).toEqual([]);
    // The record outlives the removal: an upsert of the very same text must put the item back in the index.
    engine.apply(item("a", { title: "Blue boot", tags: ["summer"], categories: ["Shoes"], brand: "Acme" }));
    expect(searchIds(engine, "boot")).toEqual(["a"]);
    expect(engine.inspectItem("a")?.catalog?.categories).toEqual(["Shoes"]);
  });

  it("ChangeItemStockState hides out-of-stock items from placements that exclude them", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a"),
      item("b"),
      view("v", "a", T0),
      view("v", "a", T0 + 1),
      view("v", "b", T0 + 2),
    ]);
    engine.apply({ event_type: "ChangeItemStockState", item_id: "a", in_stock: false });
    expect(engine.inspectItem("a")?.in_stock).toBe(false);
    expect(ids(engine.recommend(request("w", "trending", T0 + 3)))).toEqual(["b"]);
    engine.apply(placement("all_stock", [{ strategy: "popular" }], { exclude: { out_of_stock: false } }));
    expect(ids(engine.recommend(request("w", "all_stock", T0 + 4)))).toEqual(["a", "b"]);
  });
});

function searchIds(engine: Engine, query: string): string[] {
  const { state } = engineInternals(engine);
  const found: string[] = [];
  state.text.search(query, 10, (item) => found.push(state.catalog.itemId(item)));
  return found;
}
