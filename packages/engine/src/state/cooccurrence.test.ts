import { describe, expect, it } from "vitest";
import { Cooccurrence, logLikelihoodRatio } from "./cooccurrence.js";

describe("logLikelihoodRatio", () => {
  it("matches the reference values of Dunning's G² (as in Mahout's tests)", () => {
    expect(logLikelihoodRatio(1, 0, 0, 1)).toBeCloseTo(2.772589, 5);
    expect(logLikelihoodRatio(10, 0, 0, 10)).toBeCloseTo(27.72589, 4);
    expect(logLikelihoodRatio(5, 1995, 0, 100000)).toBeCloseTo(39.33052, 4);
    expect(logLikelihoodRatio(1000, 1995, 1000, 100000)).toBeCloseTo(4730.737, 2);
    expect(logLikelihoodRatio(1000, 1000, 1000, 100000)).toBeCloseTo(5734.343, 2);
    expect(logLikelihoodRatio(1000, 1000, 1000, 99000)).toBeCloseTo(5714.932, 2);
  });

  it("is zero for independent counts", () => {
    expect(logLikelihoodRatio(10, 10, 10, 10)).toBeCloseTo(0, 10);
  });
});

describe("Cooccurrence.forEachNeighbour", () => {
  it("scores a neighbour with the LLR of its 2×2 table (pair, row, column, total)", () => {
    const pairs = new Cooccurrence(8, 3_600_000, 5, "llr", []);
    const table = pairs.basket;
    // a→b 6 times, a→c once, d→b twice, d→e 11 times: row(a) = 7, column(b) = 8, total = 20.
    for (let n = 0; n < 6; n++) table.add(0, 1);
    table.add(0, 2);
    for (let n = 0; n < 2; n++) table.add(3, 1);
    for (let n = 0; n < 11; n++) table.add(3, 4);
    const scores = new Map<number, number>();
    pairs.forEachNeighbour(table, 0, (neighbour, score) => scores.set(neighbour, score));
    expect(scores.get(1)).toBeCloseTo(logLikelihoodRatio(6, 1, 2, 11), 10);
    // a→c: 1 × 20 > 7 × 1, a positive association
    expect(scores.get(2)).toBeCloseTo(logLikelihoodRatio(1, 6, 0, 13), 10);
  });

  it("drops pairs that occur less often than chance", () => {
    const pairs = new Cooccurrence(8, 3_600_000, 5, "llr", []);
    const table = pairs.basket;
    table.add(0, 1);
    for (let n = 0; n < 9; n++) table.add(0, 2);
    for (let n = 0; n < 30; n++) table.add(3, 1);
    const seen: number[] = [];
    pairs.forEachNeighbour(table, 0, (neighbour) => seen.push(neighbour));
    expect(seen).toEqual([2]);
  });
});
