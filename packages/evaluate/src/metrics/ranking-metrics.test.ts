import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlacementTally } from "./placement-tally.js";
import { quantile } from "./quantile.js";
import { scoreList, selfInformation } from "./ranking-metrics.js";

const relevant = (...items: string[]) => new Set(items);

describe("scoreList", () => {
  it("scores a list with two relevant items at ranks 2 and 4, by hand", () => {
    const score = scoreList(["a", "b", "c", "d"], relevant("b", "d"), 4);
    // DCG = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677; ideal = 1 + 1/log2(3) = 1.630930
    expect(score.hit).toBe(1);
    expect(score.precision).toBe(0.5);
    expect(score.recall).toBe(1);
    expect(score.ndcg).toBeCloseTo(1.061606 / 1.63093, 6);
    expect(score.reciprocalRank).toBe(0.5);
  });

  it("only looks at the top K", () => {
    expect(scoreList(["x", "y", "a"], relevant("a"), 2)).toEqual({
      hit: 0,
      precision: 0,
      recall: 0,
      ndcg: 0,
      reciprocalRank: 0,
    });
    expect(scoreList(["x", "y", "a"], relevant("a"), 3).reciprocalRank).toBeCloseTo(1 / 3, 12);
  });

  it("divides precision by K even when the list is shorter, and recall by every relevant item", () => {
    const score = scoreList(["a"], relevant("a", "b"), 10);
    expect(score.precision).toBe(0.1);
    expect(score.recall).toBe(0.5);
    // ideal DCG with two relevant items: 1 + 1/log2(3)
    expect(score.ndcg).toBeCloseTo(1 / 1.63093, 6);
    expect(score.reciprocalRank).toBe(1);
  });

  it("caps the ideal list at K when there are more relevant items than K", () => {
    expect(scoreList(["a", "b"], relevant("a", "b", "c", "d"), 2).ndcg).toBe(1);
  });

  it("counts a repeated item once", () => {
    const score = scoreList(["a", "a", "b"], relevant("a"), 3);
    expect(score.precision).toBeCloseTo(1 / 3, 12);
    expect(score.ndcg).toBe(1);
  });

  it("scores nothing relevant as zero", () => {
    expect(scoreList(["a"], relevant(), 5).ndcg).toBe(0);
  });

  it("keeps every metric in [0, 1], gives NDCG 1 to the ideal list, and is consistent with itself", () => {
    const ids = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h");
    fc.assert(
      fc.property(
        fc.array(ids, { maxLength: 12 }),
        fc.uniqueArray(ids, { minLength: 1 }),
        fc.integer({ min: 1, max: 10 }),
        (list, rel, k) => {
          const score = scoreList(list, new Set(rel), k);
          for (const value of Object.values(score)) expect(value >= 0 && value <= 1 + 1e-12).toBe(true);
          expect(score.hit).toBe(score.reciprocalRank > 0 ? 1 : 0);
          expect(score.ndcg > 0).toBe(score.hit === 1);
          const ideal = scoreList([...rel, ...list], new Set(rel), k);
          expect(ideal.ndcg).toBeCloseTo(1, 12);
          expect(ideal.ndcg).toBeGreaterThanOrEqual(score.ndcg - 1e-12);
        },
      ),
    );
  });
});

describe("novelty, coverage and latency", () => {
  it("measures self-information in bits, add-one smoothed", () => {
    // an item with 3 of 15 interactions: −log2(4 / 16) = 2 bits
    expect(selfInformation(3, 15)).toBe(2);
    expect(selfInformation(0, 0)).toBe(0);
  });

  it("tallies coverage, novelty and means over requests by hand", () => {
    const tally = new PlacementTally();
    const counts = new Map([
      ["a", 3],
      ["b", 0],
    ]);
    const interactions = (id: string) => counts.get(id) ?? 0;
    tally.add(scoreList(["a", "b"], relevant("a"), 2), ["a", "b"], interactions, 15, 10);
    tally.add(scoreList(["a"], relevant("c"), 2), ["a"], interactions, 15, 30);
    tally.add(scoreList([], relevant("c"), 2), [], interactions, 15, 20);
    const values = tally.values(8);
    expect(values.hr).toBeCloseTo(1 / 3, 12);
    expect(values.precision).toBeCloseTo(0.5 / 3, 12);
    expect(values.coverage).toBe(2 / 8);
    // list 1: (2 + 4) / 2 = 3 bits; list 2: 2 bits; the empty list has no novelty
    expect(values.novelty).toBe(2.5);
    expect(tally.latency()).toEqual({ p50: 20, p99: 30 });
    expect(tally.accuracy(1, 3).hr).toBe(0);
  });

  it("takes nearest-rank quantiles", () => {
    const values = Float64Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(new Float64Array(0), 0.5)).toBe(0);
  });
});
