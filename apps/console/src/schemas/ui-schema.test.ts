import { schemaFiles } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { bundleSchema, type SchemaFiles } from "./bundle-schema.js";
import { eventUiSchema } from "./ui-schema.js";

const uiOf = (eventType: string) =>
  eventUiSchema(bundleSchema(schemaFiles as SchemaFiles, `events/${eventType}.schema.json`));

/** The uiSchema entry at a path of names (eventUiSchema builds plain nested objects). */
function at(ui: unknown, ...path: string[]): Record<string, unknown> {
  let node = ui;
  for (const name of path) node = (node as Record<string, unknown>)[name];
  return node as Record<string, unknown>;
}

describe("the forms' uiSchema", () => {
  it("hides event_type, puts required fields first and the envelope last", () => {
    const ui = uiOf("AddToCart");
    expect(ui.event_type).toEqual({ "ui:widget": "hidden" });
    expect(ui["ui:order"]).toEqual([
      "user_info",
      "items",
      "context",
      "cart_id",
      "event_id",
      "event_time",
      "*",
    ]);
  });

  it("labels every field by its name, nested ones too", () => {
    const ui = uiOf("AddToCart");
    expect(at(ui, "user_info")["ui:title"]).toBe("user_info");
    expect(at(ui, "user_info", "visitor_id")["ui:title"]).toBe("visitor_id");
    expect(at(ui, "items", "items", "item_id")["ui:title"]).toBe("item_id");
  });

  it("edits every Filter as JSON and sets of enum values as checkboxes", () => {
    const ui = uiOf("PlacementUpsert");
    expect(at(ui, "filter")["ui:field"]).toBe("json");
    expect(at(ui, "boosts", "items", "filter")["ui:field"]).toBe("json");
    expect(at(ui, "strategies", "items", "params", "kinds")["ui:widget"]).toBe("checkboxes");
    expect(at(ui, "strategies", "items", "params", "fields")["ui:widget"]).toBe("checkboxes");
    expect(at(uiOf("RecoRequest"), "filter")["ui:field"]).toBe("json");
  });
});
