import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { cart, item, purchase, request, T0, view } from "../test-events.js";

describe("attribution", () => {
  it("credits impressions, clicks, carts, purchases and revenue to the placement and the strategy of each item", () => {
    const engine = createEngine();
    engine.applyBatch([
      item("a", { price: { display: 25, currency: "EUR" } }),
      item("b"),
      view("x", "a", T0),
      view("x", "a", T0),
      view("x", "b", T0),
    ]);
    const response = engine.recommend(request("v", "trending", T0 + 1));
    const recId = response.rec_id;
    engine.applyBatch([
      {
        event_type: "RecoShow",
        user_info: { visitor_id: "v" },
        rec_id: recId,
        item_ids: ["a", "b"],
        event_time: T0 + 2,
      },
      {
        event_type: "RecoAck",
        user_info: { visitor_id: "v" },
        rec_id: recId,
        item_id: "a",
        event_time: T0 + 3,
      },
      cart("v", ["a"], T0 + 4, { context: { rec_id: recId } }),
      {
        ...purchase("v", ["a"], T0 + 5, "o-1", { context: { rec_id: recId } }),
        items: [{ item_id: "a", quantity: 2 }],
      },
    ]);
    const trending = engine.stats().attribution.find((entry) => entry.placement === "trending");
    expect(trending).toEqual({
      placement: "trending",
      requests: 1,
      impressions: 2,
      clicks: 1,
      carts: 1,
      purchases: 1,
      revenue: 50,
      byStrategy: {
        popular: { requests: 1, impressions: 2, clicks: 1, carts: 1, purchases: 1, revenue: 50 },
      },
    });
  });

  it("counts behaviour naming an unknown rec_id as unattributed", () => {
    const engine = createEngine();
    engine.apply({
      event_type: "RecoAck",
      user_info: { visitor_id: "v" },
      rec_id: "r-nope",
      item_id: "a",
      event_time: T0,
    });
    expect(engine.stats().unattributed).toBe(1);
    expect(engine.stats().attribution).toEqual([]);
  });

  it("forgets responses beyond the configured number, oldest first", () => {
    const engine = createEngine({ attributionMaxRecs: 1 });
    engine.apply(view("x", "a", T0));
    const first = engine.recommend(request("v", "trending", T0 + 1));
    engine.recommend(request("v", "trending", T0 + 2));
    engine.apply({
      event_type: "RecoAck",
      user_info: { visitor_id: "v" },
      rec_id: first.rec_id,
      item_id: "a",
      event_time: T0 + 3,
    });
    expect(engine.stats().unattributed).toBe(1);
  });
});
