import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { item, T0, view } from "../test-events.js";
import { ALWAYS_TRAIN, assignFolds } from "./holdout-split.js";

function stream(visitors: readonly number[]) {
  return [item("a"), ...visitors.map((visitor, index) => view(`v${visitor}`, `i${index % 13}`, T0 + index))];
}

describe("assignFolds", () => {
  it("gives the same split for the same seed and another for another seed", () => {
    const events = stream(Array.from({ length: 300 }, (_, index) => index % 7));
    expect(assignFolds(events, 5, 42)).toEqual(assignFolds(events, 5, 42));
    expect(assignFolds(events, 5, 42)).not.toEqual(assignFolds(events, 5, 43));
  });

  it("splits each visitor's interactions into folds whose sizes differ by at most one, and trains on the rest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 120 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer(),
        (visitors, folds, seed) => {
          const events = stream(visitors);
          const fold = assignFolds(events, folds, seed);
          expect(fold[0]).toBe(ALWAYS_TRAIN);
          for (const visitor of new Set(visitors)) {
            const sizes = new Array<number>(folds).fill(0);
            visitors.forEach((v, index) => {
              if (v === visitor) sizes[fold[index + 1]!]!++;
            });
            expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it("does not reshuffle a visitor when another visitor's events are added", () => {
    const alone = stream([1, 1, 1, 1, 1, 1]);
    const mixed = stream([1, 2, 1, 2, 1, 2, 1, 2, 1, 1]);
    const foldsOf = (events: ReturnType<typeof stream>, fold: Int32Array) =>
      events.flatMap((event, index) =>
        event.event_type === "DetailItemView" && event.user_info.visitor_id === "v1" ? [fold[index]] : [],
      );
    expect(foldsOf(mixed, assignFolds(mixed, 3, 9))).toEqual(foldsOf(alone, assignFolds(alone, 3, 9)));
  });
});
