import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../generated/registry.js";
import { loadVectors } from "./test-vectors.js";
import { validateEvent } from "./validate-event.js";

const valid = loadVectors("valid");
const invalid = loadVectors("invalid");

describe("shared test vectors", () => {
  it("exist for every event type: at least 3 valid and 3 invalid each", () => {
    for (const eventType of EVENT_TYPES) {
      expect(
        valid.filter((vector) => vector.eventType === eventType).length,
        eventType,
      ).toBeGreaterThanOrEqual(3);
      expect(
        invalid.filter((vector) => vector.eventType === eventType).length,
        eventType,
      ).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(valid.map((vector) => [`${vector.eventType}/${vector.name}`, vector] as const))(
    "%s is valid",
    (_, vector) => {
      const result = validateEvent(vector.document);
      expect(result.ok ? [] : result.errors).toEqual([]);
    },
  );

  it.each(invalid.map((vector) => [`${vector.eventType}/${vector.name}`, vector] as const))(
    "%s is rejected at its expected pointer",
    (_, vector) => {
      expect(vector.expectedPointer, "every invalid vector names its pointer").toBeTypeOf("string");
      const result = validateEvent(vector.document);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors[0]?.pointer).toBe(vector.expectedPointer);
    },
  );
});

describe("validateEvent", () => {
  const view = { event_type: "DetailItemView", user_info: { visitor_id: "v-1" }, item: { item_id: "sku-1" } };

  it("returns the event itself when it is valid", () => {
    const result = validateEvent(view);
    expect(result).toEqual({ ok: true, event: view });
  });

  it.each([
    [null, "null"],
    [[view], "an array"],
    ["DetailItemView", "a string"],
    [42, "a number"],
  ])("rejects %j, which is not an object, at the root", (value, described) => {
    expect(validateEvent(value)).toEqual({
      ok: false,
      errors: [{ pointer: "", message: `an event must be a JSON object, not ${described}` }],
    });
  });

  it("names a missing or non-string event_type", () => {
    expect(validateEvent({ user_info: { visitor_id: "v" } })).toEqual({
      ok: false,
      errors: [{ pointer: "/event_type", message: "is required" }],
    });
    expect(validateEvent({ event_type: 7 })).toMatchObject({
      ok: false,
      errors: [{ pointer: "/event_type" }],
    });
  });

  it("rejects an unknown event type, including inherited property names", () => {
    for (const name of ["PageView", "__proto__", "constructor", "toString"]) {
      const result = validateEvent({ ...view, event_type: name });
      expect(result).toMatchObject({ ok: false, eventType: name, errors: [{ pointer: "/event_type" }] });
    }
  });

  it("points at a missing property itself and names the event type", () => {
    expect(validateEvent({ event_type: "DetailItemView", user_info: {}, item: { item_id: "a" } })).toEqual({
      ok: false,
      eventType: "DetailItemView",
      errors: [{ pointer: "/user_info/visitor_id", message: "is required" }],
    });
  });

  it("rejects __proto__ and constructor keys as unknown properties", () => {
    const polluted = JSON.parse(
      '{"event_type":"HomePageView","user_info":{"visitor_id":"v"},"__proto__":{"x":1}}',
    );
    expect(validateEvent(polluted)).toMatchObject({ ok: false, errors: [{ pointer: "/__proto__" }] });
    const attributes = JSON.parse(
      '{"event_type":"HomePageView","user_info":{"visitor_id":"v"},"context":{"attributes":{"__proto__":"x"}}}',
    );
    expect(validateEvent(attributes)).toMatchObject({ ok: false });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("rejects a filter nested beyond the stack instead of throwing", () => {
    let filter: unknown = { eq: { field: "brand", value: "Acme" } };
    for (let depth = 0; depth < 100_000; depth++) filter = { not: filter };
    const request = {
      event_type: "RecoRequest",
      user_info: { visitor_id: "v" },
      placement: "trending",
      filter,
    };
    const result = validateEvent(request);
    expect(result.ok).toBe(false);
  });

  it("lists the allowed values of an enum", () => {
    const result = validateEvent({ ...view, user_info: { visitor_id: "v", privacy: "maybe" } });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { pointer: "/user_info/privacy", message: 'must be one of "personalized", "non_personalized"' },
      ],
    });
  });
});
