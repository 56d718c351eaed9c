import { describe, expect, it } from "vitest";
import { loadSchemaSet } from "../schema-set.js";
import { copySchemas, editSchema } from "../test-fixtures.js";
import { generateGo } from "./go.js";
import { generatePython } from "./python.js";
import { LocalSchemaStore, ModelGenerationError, prepareSchema } from "./quicktype-input.js";

describe("prepareSchema", () => {
  it("drops $id, keeps a $ref alone, moves its description to the parent and names the file for #", () => {
    const prepared = prepareSchema(
      {
        $id: "https://schemas.sibyl.dev/api/Filter.schema.json",
        type: "object",
        properties: {
          not: { $ref: "#", description: "The filter to negate." },
          item: { $ref: "../common/ItemRef.schema.json", description: "The item." },
          note: { type: "string", description: "Free text." },
        },
        definitions: { Value: { enum: [{ oneOf: "data, not a keyword" }], description: "A value." } },
      },
      "Filter.schema.json",
      false,
    );
    expect(prepared).toEqual({
      type: "object",
      properties: {
        not: { $ref: "Filter.schema.json" },
        item: { $ref: "../common/ItemRef.schema.json" },
        note: { type: "string", description: "Free text." },
      },
      "x-sibyl-ref-descriptions": { not: "The filter to negate.", item: "The item." },
      definitions: { Value: { enum: [{ oneOf: "data, not a keyword" }], description: "A value." } },
    });
  });

  it("takes event_type out of an event: the renderers make it a constant of the class", () => {
    const event = loadSchemaSet().events.find((file) => file.eventType === "AddToCart")!;
    const prepared = prepareSchema(event.schema, "AddToCart.schema.json", true) as Record<string, unknown>;
    expect(Object.keys(prepared.properties as object)).not.toContain("event_type");
    expect(prepared.required).toEqual(["user_info", "items"]);
  });

  it("refuses keywords whose branches quicktype would merge into one class", () => {
    const schema = {
      type: "object",
      properties: { shape: { oneOf: [{ type: "object" }, { type: "array" }], description: "Either." } },
    };
    expect(() => prepareSchema(schema, "Shape.schema.json", false)).toThrow(ModelGenerationError);
    expect(() => prepareSchema(schema, "Shape.schema.json", false)).toThrow(
      'Shape.schema.json#/properties/shape: "oneOf" has no SDK model',
    );
  });
});

describe("LocalSchemaStore", () => {
  it("serves schema files by file URI and by $id, and never fetches anything else", async () => {
    const set = loadSchemaSet();
    const store = new LocalSchemaStore(set);
    const userInfo = set.files.find((file) => file.path === "common/UserInfo.schema.json")!;
    const byId = await store.fetch("https://schemas.sibyl.dev/common/UserInfo.schema.json#/properties");
    const byFile = await store.fetch(new URL(`file://${userInfo.absolutePath}`).href);
    expect(byId).toBe(byFile);
    await expect(store.fetch("https://example.com/Other.schema.json")).rejects.toThrow(
      "https://example.com/Other.schema.json: is not a schema file of schemas/",
    );
  });
});

describe("SDK model generation", () => {
  it("fails when two schemas share a title instead of renaming one of them", async () => {
    const schemas = copySchemas();
    editSchema(schemas, "common/Transaction.schema.json", (schema) => {
      schema.title = "ItemRef";
    });
    const set = loadSchemaSet(schemas);
    await expect(generatePython(set)).rejects.toThrow(/title "ItemRef": renders as \w+/);
    await expect(generateGo(set)).rejects.toThrow(/title "ItemRef": renders as \w+/);
  });

  it("fails on a title the models' runtime uses", async () => {
    const schemas = copySchemas();
    editSchema(schemas, "common/Transaction.schema.json", (schema) => {
      schema.title = "DecodeError";
    });
    await expect(generateGo(loadSchemaSet(schemas))).rejects.toThrow(/title "DecodeError": renders as \w+/);
  });

  it("fails on a union that mixes objects with scalars", async () => {
    const schemas = copySchemas();
    editSchema(schemas, "events/AddToCart.schema.json", (schema) => {
      schema.properties.coupon = { type: ["string", "object"], description: "A code or a coupon." };
    });
    await expect(generatePython(loadSchemaSet(schemas))).rejects.toThrow(
      /AddToCart\.coupon: a union of .* has no SDK model/,
    );
  });

  it("fails on a date-time string: times are integer milliseconds", async () => {
    const schemas = copySchemas();
    editSchema(schemas, "events/AddToCart.schema.json", (schema) => {
      schema.properties.added_at = { type: "string", format: "date-time", description: "When." };
    });
    await expect(generatePython(loadSchemaSet(schemas))).rejects.toThrow(
      "AddToCart.added_at: a date-time value has no SDK model: times are integer milliseconds",
    );
  });
});
