import { readFileSync } from "node:fs";
import { type SibylEvent, validateEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { createEngine } from "./engine.js";
import { ids, request } from "./test-events.js";

interface OttoSession {
  session: number;
  events: { aid: number; ts: number; type: "clicks" | "carts" | "orders" }[];
}

/** The OTTO sample as Sibyl events, in time order. */
function ottoEvents(): SibylEvent[] {
  const sessions = readFileSync(new URL("../fixtures/otto/sessions.jsonl", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as OttoSession);
  const events: SibylEvent[] = [];
  for (const { session, events: actions } of sessions) {
    const user_info = { visitor_id: `otto-${session}`, session_id: `otto-${session}` };
    actions.forEach(({ aid, ts, type }, index) => {
      const ref = { item_id: String(aid) };
      if (type === "clicks")
        events.push({ event_type: "DetailItemView", user_info, item: ref, event_time: ts });
      else if (type === "carts")
        events.push({ event_type: "AddToCart", user_info, items: [ref], event_time: ts });
      else {
        events.push({
          event_type: "PurchaseComplete",
          user_info,
          items: [ref],
          transaction: { id: `otto-${session}-${index}`, revenue: 0, currency: "EUR" },
          event_time: ts,
        });
      }
    });
  }
  return events.sort((a, b) => a.event_time! - b.event_time!);
}

describe("the OTTO sample replayed end to end", () => {
  const events = ottoEvents();

  it("is all valid events, and every one applies", () => {
    for (const event of events) expect(validateEvent(event).ok).toBe(true);
    const engine = createEngine();
    const result = engine.applyBatch(events);
    expect(result).toEqual({ applied: 862, duplicates: 0, failed: [] });
    expect(engine.stats()).toMatchObject({
      events: { DetailItemView: 800, AddToCart: 52, PurchaseComplete: 10 },
      items: 510,
      visitors: 20,
    });
  });

  it("recommends from what it learned, for every default placement, without ever repeating an item", () => {
    const engine = createEngine();
    engine.applyBatch(events);
    const last = events.at(-1)!;
    const now = last.event_time! + 1;
    const visitor = "user_info" in last ? last.user_info.visitor_id : "otto-0";
    const viewed = events.find((event) => event.event_type === "DetailItemView");
    const contextItem = viewed?.event_type === "DetailItemView" ? viewed.item.item_id : "";
    const similar = engine.recommend(
      request("someone", "product_page_similar", now, { context_item_ids: [contextItem] }),
    );
    expect(similar.items.length).toBe(10);
    expect(similar.items[0]!.strategy).toBe("cooccurrence");
    expect(ids(similar)).not.toContain(contextItem);
    for (const placement of ["home_for_you", "trending", "recently_viewed", "cart_fbt"]) {
      const response = engine.recommend(request(visitor, placement, now));
      expect(response.items.length, placement).toBeGreaterThan(0);
      expect(new Set(ids(response)).size, placement).toBe(response.items.length);
    }
  });

  it("rebuilds the same state, byte for byte, when replayed again", () => {
    const first = createEngine();
    const second = createEngine();
    first.applyBatch(events);
    for (const event of events) second.apply(event);
    expect(second.stateHash()).toBe(first.stateHash());
  });
});
