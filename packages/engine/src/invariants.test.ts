import type { SibylEvent } from "@sibyl/events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "./engine.js";
import { DEFAULT_PLACEMENTS } from "./placements/default-placements.js";
import { T0 } from "./test-events.js";

const itemId = fc.constantFrom("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7");
const visitor = fc.constantFrom("v0", "v1", "v2", "v3");
const placementId = fc.constantFrom(...DEFAULT_PLACEMENTS.map((placement) => placement.placement_id));

const behaviour: fc.Arbitrary<SibylEvent> = fc.oneof(
  fc.record({ v: visitor, i: itemId }).map(({ v, i }) => ({
    event_type: "DetailItemView" as const,
    user_info: { visitor_id: v },
    item: { item_id: i },
  })),
  fc
    .record({ v: visitor, items: fc.uniqueArray(itemId, { minLength: 1, maxLength: 3 }) })
    .map(({ v, items }) => ({
      event_type: "AddToCart" as const,
      user_info: { visitor_id: v },
      items: items.map((item_id) => ({ item_id })),
    })),
  fc
    .record({ v: visitor, items: fc.uniqueArray(itemId, { minLength: 1, maxLength: 3 }), order: fc.nat(20) })
    .map(({ v, items, order }) => ({
      event_type: "PurchaseComplete" as const,
      user_info: { visitor_id: v },
      items: items.map((item_id) => ({ item_id })),
      transaction: { id: `o-${order}`, revenue: 10, currency: "EUR" },
    })),
  fc
    .record({ i: itemId, cat: fc.constantFrom("A", "A > B", "C"), brand: fc.constantFrom("X", "Y") })
    .map(({ i, cat, brand }) => ({
      event_type: "ItemUpsert" as const,
      item_id: i,
      title: `title ${i} ${brand}`,
      categories: [cat],
      brand,
    })),
  itemId.map((i) => ({ event_type: "ItemRemove" as const, item_id: i })),
  fc.record({ i: itemId, inStock: fc.boolean() }).map(({ i, inStock }) => ({
    event_type: "ChangeItemStockState" as const,
    item_id: i,
    in_stock: inStock,
  })),
  fc.record({ v: visitor, i: itemId }).map(({ v, i }) => ({
    event_type: "RateItem" as const,
    user_info: { visitor_id: v },
    item: { item_id: i },
    rating: 5,
    scale_max: 5,
  })),
);

const recoRequest = fc
  .record({
    v: visitor,
    placement: placementId,
    context: fc.uniqueArray(itemId, { maxLength: 2 }),
    exclude: fc.uniqueArray(itemId, { maxLength: 2 }),
    count: fc.integer({ min: 1, max: 6 }),
    query: fc.constantFrom("title", "x", "i3"),
  })
  .map(({ v, placement, context, exclude, count, query }) => ({
    event_type: "RecoRequest" as const,
    user_info: { visitor_id: v },
    placement,
    context_item_ids: context,
    exclude_item_ids: exclude,
    count,
    query,
  }));

/** Events with increasing times, a minute apart. */
const stream = fc
  .array(fc.oneof({ weight: 4, arbitrary: behaviour }, { weight: 1, arbitrary: recoRequest }), {
    maxLength: 60,
  })
  .map((events) =>
    events.map((event, index) => ({ ...event, event_time: T0 + index * 60_000 }) as SibylEvent),
  );

describe("engine invariants (property-based)", () => {
  it("never recommends a removed, excluded, context or out-of-stock item; respects count; no duplicates", () => {
    fc.assert(
      fc.property(stream, (events) => {
        const engine = createEngine();
        for (const event of events) {
          if (event.event_type !== "RecoRequest") {
            engine.apply(event);
            continue;
          }
          const response = engine.recommend(event);
          const returned = response.items.map((entry) => entry.item_id);
          expect(returned.length).toBeLessThanOrEqual(event.count!);
          expect(new Set(returned).size).toBe(returned.length);
          const placement = DEFAULT_PLACEMENTS.find(
            (candidate) => candidate.placement_id === event.placement,
          )!;
          for (const id of returned) {
            expect(event.context_item_ids).not.toContain(id);
            expect(event.exclude_item_ids).not.toContain(id);
            const inspection = engine.inspectItem(id)!;
            expect(inspection.removed).toBe(false);
            if (placement.exclude?.out_of_stock !== false) expect(inspection.in_stock).toBe(true);
          }
          const visitorState = engine.inspectVisitor(event.user_info.visitor_id);
          if (placement.exclude?.in_cart !== false) {
            for (const id of visitorState?.cart ?? []) expect(returned).not.toContain(id);
          }
          if (placement.exclude?.purchased !== false) {
            for (const { item_id } of visitorState?.purchased ?? []) expect(returned).not.toContain(item_id);
          }
          for (const entry of response.items) expect(entry.score).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("two engines fed the same events in the same order have the same state hash", () => {
    fc.assert(
      fc.property(stream, (events) => {
        const first = createEngine();
        const second = createEngine();
        first.applyBatch(events);
        for (const event of events) second.apply(event);
        expect(second.stateHash()).toBe(first.stateHash());
      }),
      { numRuns: 100 },
    );
  });

  it("different events give a different state hash", () => {
    fc.assert(
      fc.property(stream, itemId, (events, extra) => {
        const first = createEngine();
        const second = createEngine();
        first.applyBatch(events);
        second.applyBatch([
          ...events,
          {
            event_type: "DetailItemView",
            user_info: { visitor_id: "v0" },
            item: { item_id: extra },
            event_time: T0 + 10_000_000,
          },
        ]);
        expect(second.stateHash()).not.toBe(first.stateHash());
      }),
      { numRuns: 50 },
    );
  });
});
