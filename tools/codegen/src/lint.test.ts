import { describe, expect, it } from "vitest";
import { lintSchemaSet } from "./lint.js";
import { loadSchemaSet } from "./schema-set.js";
import { copySchemas, editSchema } from "./test-fixtures.js";

function problemsAfter(path: string, edit: Parameters<typeof editSchema>[2]) {
  const root = copySchemas();
  editSchema(root, path, edit);
  return lintSchemaSet(loadSchemaSet(root)).map(
    ({ file, pointer, message }) => `${file}#${pointer}: ${message}`,
  );
}

describe("schema lint", () => {
  it("finds no problem in the repository's schemas", () => {
    const set = loadSchemaSet();
    expect(set.events.length).toBeGreaterThanOrEqual(35);
    expect(lintSchemaSet(set)).toEqual([]);
  });

  it("requires a description on every property", () => {
    expect(
      problemsAfter("events/AddToCart.schema.json", (s) => delete s.properties.cart_id.description),
    ).toEqual(["events/AddToCart.schema.json#/properties/cart_id: has no description"]);
  });

  it("requires closed objects except the open attribute maps", () => {
    expect(problemsAfter("common/ItemRef.schema.json", (s) => delete s.additionalProperties)).toEqual([
      "common/ItemRef.schema.json#: objects must set additionalProperties: false",
    ]);
  });

  it("requires bounded strings and arrays", () => {
    expect(
      problemsAfter("events/ItemUpsert.schema.json", (s) => {
        delete s.properties.title.maxLength;
        delete s.properties.tags.maxItems;
      }),
    ).toEqual([
      "events/ItemUpsert.schema.json#/properties/title: strings must set maxLength (or an anchored pattern without unbounded repetition, or an enum)",
      "events/ItemUpsert.schema.json#/properties/tags: arrays must set maxItems",
    ]);
  });

  it("requires $id, and a title and event_type const equal to the file name", () => {
    expect(
      problemsAfter("events/RecoAck.schema.json", (s) => {
        s.$id = "https://example.com/RecoAck.json";
        s.properties.event_type.const = "RecoClick";
      }),
    ).toEqual([
      "events/RecoAck.schema.json#/$id: must be https://schemas.sibyl.dev/events/RecoAck.schema.json",
      'events/RecoAck.schema.json#/properties/event_type: must be { "const": "RecoAck" }',
    ]);
  });

  it("reports a $ref that does not resolve", () => {
    expect(
      problemsAfter("events/RecoAck.schema.json", (s) => {
        s.properties.item_id.$ref = "../common/Identifiers.schema.json#/definitions/ItemIdentifier";
      }),
    ).toEqual([
      "events/RecoAck.schema.json#/properties/item_id: $ref ../common/Identifiers.schema.json#/definitions/ItemIdentifier does not resolve",
    ]);
  });

  it("reports a common definition that nothing uses", () => {
    expect(
      problemsAfter("common/Identifiers.schema.json", (s) => {
        s.definitions.Sku = {
          title: "Sku",
          description: "A stock keeping unit.",
          type: "string",
          maxLength: 64,
        };
      }),
    ).toEqual(["common/Identifiers.schema.json#/definitions/Sku: is defined but never referenced"]);
  });

  it("requires user_info on behaviour events only", () => {
    expect(
      problemsAfter("events/HomePageView.schema.json", (s) => {
        s.required = s.required.filter((name: string) => name !== "user_info");
      }),
    ).toEqual(["events/HomePageView.schema.json#/required: must include user_info for a behaviour event"]);
  });
});
