import { describe, expect, expectTypeOf, it } from "vitest";
import { EVENT_TYPES, eventRegistry, type EventType } from "../generated/registry.js";
import { schemaFiles } from "../generated/schemas.js";
import type { AddToCart, ItemUpsert, SibylEvent, UserForget } from "../generated/types.js";

describe("event registry", () => {
  it("has one entry per event type with its schema, validator, group and key rule", () => {
    expect(EVENT_TYPES.length).toBeGreaterThanOrEqual(35);
    for (const eventType of EVENT_TYPES) {
      const definition = eventRegistry[eventType];
      expect(definition.eventType).toBe(eventType);
      expect(schemaFiles[definition.schemaPath]?.title).toBe(eventType);
      expect(definition.schema).toBe(schemaFiles[definition.schemaPath]);
      expect(definition.validate).toBeTypeOf("function");
      expect(definition.description.length).toBeGreaterThan(0);
    }
  });

  it("lets a browser tracking key send behaviour and recommendation events only, except refunds", () => {
    const tracking = EVENT_TYPES.filter((eventType) => eventRegistry[eventType].tracking);
    for (const eventType of tracking) expect(["behaviour", "reco"]).toContain(eventRegistry[eventType].group);
    expect(tracking).toContain("AddToCart");
    expect(tracking).toContain("RecoRequest");
    expect(tracking).not.toContain("Refund");
    expect(tracking).not.toContain("ItemUpsert");
    expect(tracking).not.toContain("UserForget");
  });

  it("groups the catalog, configuration and identity events as the design does", () => {
    const group = (eventType: EventType) => eventRegistry[eventType].group;
    expect(group("ItemUpsert")).toBe("catalog");
    expect(group("PlacementUpsert")).toBe("config");
    expect(group("UserMerge")).toBe("identity");
    expect(group("PurchaseComplete")).toBe("behaviour");
    expect(group("SmartSearchShow")).toBe("reco");
  });
});

describe("generated types", () => {
  it("narrow the SibylEvent union on event_type", () => {
    const describe = (event: SibylEvent): string => {
      switch (event.event_type) {
        case "AddToCart":
          expectTypeOf(event).toEqualTypeOf<AddToCart>();
          return `cart +${event.items.length}`;
        case "ItemUpsert":
          expectTypeOf(event).toEqualTypeOf<ItemUpsert>();
          return event.title;
        case "UserForget":
          expectTypeOf(event).toEqualTypeOf<UserForget>();
          return event.id;
        default:
          // @ts-expect-error: only some event types have items
          return String(event.items);
      }
    };
    expect(describe({ event_type: "ItemUpsert", item_id: "i", title: "Trail shoe" })).toBe("Trail shoe");
    expect(
      describe({ event_type: "AddToCart", user_info: { visitor_id: "v" }, items: [{ item_id: "i" }] }),
    ).toBe("cart +1");
  });

  it("key the registry by exactly the event types of the union", () => {
    expectTypeOf<EventType>().toEqualTypeOf<SibylEvent["event_type"]>();
    expectTypeOf<(typeof EVENT_TYPES)[number]>().toEqualTypeOf<EventType>();
  });
});
