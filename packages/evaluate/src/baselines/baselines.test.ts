import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RecommendQuery } from "../placements/recommender.js";
import { item, T0, view } from "../test-events.js";
import { ItemCounts } from "./item-counts.js";
import { popularBaseline } from "./popular-baseline.js";
import { randomBaseline } from "./random-baseline.js";

function query(k: number, exclude: string[] = [], seed = 1): RecommendQuery {
  return {
    userInfo: { visitor_id: "ann" },
    timeMs: T0,
    contextItem: undefined,
    exclude,
    excludeSet: new Set(exclude),
    k,
    seed,
  };
}

describe("ItemCounts", () => {
  it("keeps items ranked by interactions as counts grow, whatever the order of events", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 200 }), (picks) => {
        const counts = new ItemCounts();
        for (const [index, pick] of picks.entries()) counts.observe(view("v", `i${pick}`, T0 + index));
        const ranked: string[] = [];
        counts.forEachByCount((id) => ranked.push(id) > 0);
        const tally = (id: string) => picks.filter((pick) => `i${pick}` === id).length;
        expect(ranked.map(tally)).toEqual([...ranked.map(tally)].sort((a, b) => b - a));
        expect(new Set(ranked).size).toBe(new Set(picks).size);
        expect(counts.total).toBe(picks.length);
      }),
    );
  });

  it("knows catalog items with no interactions and forgets removed ones", () => {
    const counts = new ItemCounts();
    counts.observe(item("a"));
    counts.observe(item("b"));
    counts.observe(view("v", "b", T0));
    counts.observe({ event_type: "ItemRemove", item_id: "a", event_time: T0 });
    expect(counts.items).toEqual(["a", "b"]);
    expect(counts.isAvailable("a")).toBe(false);
    expect(counts.available).toBe(1);
  });
});

describe("baselines", () => {
  const counts = new ItemCounts();
  for (const [id, times] of [
    ["a", 1],
    ["b", 3],
    ["c", 2],
    ["d", 0],
  ] as const) {
    counts.observe(item(id));
    for (let n = 0; n < times; n++) counts.observe(view(`v${n}`, id, T0 + n));
  }

  it("popular ranks by interactions and skips excluded items", () => {
    const popular = popularBaseline(counts);
    expect(popular.recommend(query(3))).toEqual(["b", "c", "a"]);
    expect(popular.recommend(query(3, ["c"]))).toEqual(["b", "a", "d"]);
  });

  it("random draws K distinct, available, non-excluded items, the same for the same seed", () => {
    const random = randomBaseline(counts);
    const first = random.recommend(query(2, ["a"], 99));
    expect(new Set(first).size).toBe(2);
    expect(first).not.toContain("a");
    expect(random.recommend(query(2, ["a"], 99))).toEqual(first);
    const seeds = new Set(
      Array.from({ length: 20 }, (_, seed) => random.recommend(query(2, [], seed)).join()),
    );
    expect(seeds.size).toBeGreaterThan(1);
    expect([...random.recommend(query(10, ["b"]))].sort()).toEqual(["a", "c", "d"]);
  });
});
