import { describe, expect, it } from "vitest";
import { InvalidTargetError } from "../errors/evaluation-errors.js";
import { rate, T0, view } from "../test-events.js";
import { isTarget, parseTarget } from "./target-spec.js";

describe("target specifications", () => {
  it("parses an event type alone or with one condition", () => {
    expect(parseTarget("PurchaseComplete")).toEqual({
      text: "PurchaseComplete",
      eventType: "PurchaseComplete",
    });
    expect(parseTarget("RateItem:rating>=4").condition).toEqual({
      path: ["rating"],
      operator: ">=",
      value: 4,
    });
    expect(parseTarget("VideoInteraction:action=complete").condition).toEqual({
      path: ["action"],
      operator: "==",
      value: "complete",
    });
    expect(parseTarget("OtherInteraction:interaction_name == '42'").condition?.value).toBe("42");
  });

  it("matches events by type and condition", () => {
    const liked = [parseTarget("RateItem:rating>=4")];
    expect(isTarget(rate("ann", "a", 4, T0), liked)).toBe(true);
    expect(isTarget(rate("ann", "a", 3.5, T0), liked)).toBe(false);
    expect(isTarget(view("ann", "a", T0), liked)).toBe(false);
    expect(isTarget(view("ann", "a", T0), [...liked, parseTarget("DetailItemView")])).toBe(true);
    expect(isTarget(view("ann", "a", T0), [parseTarget("DetailItemView:item.item_id!=a")])).toBe(false);
    expect(isTarget(view("ann", "a", T0), [parseTarget("DetailItemView:item.missing==a")])).toBe(false);
  });

  it("refuses what it cannot understand, naming the spec", () => {
    expect(() => parseTarget("HomePageView")).toThrow(InvalidTargetError);
    expect(() => parseTarget("Teleport")).toThrow(/"Teleport" is not an event type that names items/);
    expect(() => parseTarget("RateItem:rating")).toThrow(/expected a condition/);
    expect(() => parseTarget("RateItem:rating>=high")).toThrow(/>= compares numbers/);
  });
});
