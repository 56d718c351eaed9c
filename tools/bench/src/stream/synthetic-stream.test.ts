import { validateEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { EVENT_MIX, syntheticCatalog, syntheticStream } from "./synthetic-stream.js";

describe("syntheticStream", () => {
  it("produces only valid events", () => {
    for (const event of [
      ...syntheticStream({ events: 5_000, items: 1_000, visitors: 500 }),
      ...syntheticCatalog(50),
    ]) {
      const result = validateEvent(event);
      expect(result.ok ? [] : result.errors, event.event_type).toEqual([]);
    }
  });

  it("is the same stream for the same seed and a different one for another seed", () => {
    const a = JSON.stringify([...syntheticStream({ events: 500, seed: 7 })]);
    expect(JSON.stringify([...syntheticStream({ events: 500, seed: 7 })])).toBe(a);
    expect(JSON.stringify([...syntheticStream({ events: 500, seed: 8 })])).not.toBe(a);
  });

  it("follows the event mix and keeps time moving forward", () => {
    const events = [...syntheticStream({ events: 50_000 })];
    const total = EVENT_MIX.reduce((sum, [, weight]) => sum + weight, 0);
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.event_type, (counts.get(event.event_type) ?? 0) + 1);
    for (const [type, weight] of EVENT_MIX) {
      expect(Math.abs((counts.get(type) ?? 0) / events.length - weight / total), type).toBeLessThan(0.01);
    }
    for (let index = 1; index < events.length; index++) {
      expect(events[index]!.event_time!).toBeGreaterThanOrEqual(events[index - 1]!.event_time!);
    }
  });

  it("concentrates views on popular items (Zipf)", () => {
    const views = new Map<string, number>();
    for (const event of syntheticStream({ events: 20_000, items: 10_000 })) {
      if (event.event_type === "DetailItemView")
        views.set(event.item.item_id, (views.get(event.item.item_id) ?? 0) + 1);
    }
    const sorted = [...views.values()].sort((a, b) => b - a);
    const top1Percent = sorted.slice(0, 100).reduce((sum, count) => sum + count, 0);
    const all = sorted.reduce((sum, count) => sum + count, 0);
    expect(top1Percent / all).toBeGreaterThan(0.2);
  });
});
