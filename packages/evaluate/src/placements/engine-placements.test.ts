import { describe, expect, it } from "vitest";
import { InvalidWhatIfError } from "../errors/evaluation-errors.js";
import { contextModeOf, parseWhatIf } from "./engine-placements.js";

describe("what-if configurations", () => {
  const draft = { placement_id: "home_for_you", strategies: [{ strategy: "personal", weight: 1 }] };

  it("accepts a PlacementUpsert with or without its envelope", () => {
    expect(parseWhatIf("draft.json", "draft", draft)).toEqual({ label: "draft", config: draft });
    expect(
      parseWhatIf("draft.json", "draft", { event_type: "PlacementUpsert", event_time: 1, ...draft }).config,
    ).toEqual(draft);
  });

  it("names the file and the JSON pointer of what is wrong", () => {
    const wrong = (value: unknown) => {
      try {
        parseWhatIf("draft.json", "draft", value);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidWhatIfError);
        return (error as InvalidWhatIfError).message;
      }
      throw new Error("accepted");
    };
    expect(wrong([draft])).toMatch(/what-if draft.json: expected a JSON object/);
    expect(wrong({ ...draft, event_type: "ItemUpsert" })).toMatch(/at \/event_type: is "ItemUpsert"/);
    expect(wrong({ ...draft, strategies: [{ strategy: "telepathy" }] })).toMatch(
      /at \/strategies\/0\/strategy/,
    );
    expect(wrong({ ...draft, filter: { range: { field: "title", gte: 1 } } })).toMatch(
      /what-if draft.json: filter/,
    );
  });
});

describe("context items", () => {
  it("go to item-to-item placements under auto, and as told otherwise", () => {
    const similar = { placement_id: "p", strategies: [{ strategy: "cooccurrence" as const }] };
    const personal = { placement_id: "p", strategies: [{ strategy: "personal" as const }] };
    expect(contextModeOf(similar, "auto")).toBe("last-item");
    expect(contextModeOf(personal, "auto")).toBe("none");
    expect(contextModeOf(personal, "last-item")).toBe("last-item");
    expect(contextModeOf(similar, "none")).toBe("none");
  });
});
