import { describe, expect, it } from "vitest";
import { comparePositions, formatPosition, parsePosition } from "./log-position.js";

describe("log positions", () => {
  it("formats and parses segment:offset", () => {
    expect(formatPosition({ segment: 3, offset: 4096 })).toBe("3:4096");
    expect(parsePosition("3:4096")).toEqual({ segment: 3, offset: 4096 });
    expect(parsePosition(formatPosition({ segment: 12, offset: 0 }))).toEqual({ segment: 12, offset: 0 });
  });

  it("rejects anything else", () => {
    for (const bad of ["", "3", "3:", ":4", "a:1", "1:-2", "0:12", "1:2:3", "1.5:2"]) {
      expect(() => parsePosition(bad), bad).toThrow(RangeError);
    }
  });

  it("orders by segment, then offset", () => {
    const sorted = [
      { segment: 2, offset: 12 },
      { segment: 1, offset: 900 },
      { segment: 1, offset: 12 },
    ].sort(comparePositions);
    expect(sorted.map(formatPosition)).toEqual(["1:12", "1:900", "2:12"]);
    expect(comparePositions({ segment: 4, offset: 5 }, { segment: 4, offset: 5 })).toBe(0);
  });
});
