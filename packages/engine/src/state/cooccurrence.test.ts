import { describe, expect, it } from "vitest";
import { logLikelihoodRatio } from "./cooccurrence.js";

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
