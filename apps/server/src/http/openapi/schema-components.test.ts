import { eventRegistry, type JsonSchemaDocument, schemaFiles } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, EVENT_COMPONENT } from "./document.js";
import { schemaComponents } from "./schema-components.js";

const BASE = "https://schemas.sibyl.dev/";
const file = (path: string, schema: Record<string, unknown>): JsonSchemaDocument => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: BASE + path,
  ...schema,
});

describe("schemaComponents", () => {
  it("names components after the files and rewrites every kind of $ref to the component", () => {
    const { schemas, nameOf } = schemaComponents({
      "common/Ids.schema.json": file("common/Ids.schema.json", {
        definitions: { ItemId: { type: "string" }, "a/b~c": { type: "integer" } },
      }),
      "events/Thing.schema.json": file("events/Thing.schema.json", {
        type: "object",
        properties: {
          relative: { $ref: "../common/Ids.schema.json#/definitions/ItemId" },
          absolute: { $ref: `${BASE}common/Ids.schema.json` },
          escaped: { $ref: "../common/Ids.schema.json#/definitions/a~1b~0c" },
          self: { $ref: "#" },
          local: { $ref: "#/definitions/Local" },
          $ref: { type: "string", description: "a property named $ref is not a reference" },
        },
        definitions: { Local: { type: "boolean" } },
        default: { $ref: "data, not a reference" },
      }),
    });
    expect(nameOf).toEqual({ "common/Ids.schema.json": "Ids", "events/Thing.schema.json": "Thing" });
    const thing = schemas.Thing as { properties: Record<string, { $ref?: unknown }>; default: unknown };
    expect(thing.properties.relative!.$ref).toBe("#/components/schemas/Ids/definitions/ItemId");
    expect(thing.properties.absolute!.$ref).toBe("#/components/schemas/Ids");
    expect(thing.properties.escaped!.$ref).toBe("#/components/schemas/Ids/definitions/a~1b~0c");
    expect(thing.properties.self!.$ref).toBe("#/components/schemas/Thing");
    expect(thing.properties.local!.$ref).toBe("#/components/schemas/Thing/definitions/Local");
    expect(thing.properties.$ref).toEqual({
      type: "string",
      description: "a property named $ref is not a reference",
    });
    expect(thing.default).toEqual({ $ref: "data, not a reference" });
    expect(schemas.Thing).not.toHaveProperty("$id");
    expect(schemas.Thing).not.toHaveProperty("$schema");
    expect(schemas.Thing).toHaveProperty("x-sibyl-schema", "events/Thing.schema.json");
  });

  it("leaves the schema files as they are", () => {
    const before = JSON.stringify(schemaFiles);
    schemaComponents(schemaFiles);
    expect(JSON.stringify(schemaFiles)).toBe(before);
  });

  it("prefixes the directory when two files share a name or a name is reserved", () => {
    const { nameOf } = schemaComponents(
      {
        "api/Item.schema.json": file("api/Item.schema.json", {}),
        "common/Item.schema.json": file("common/Item.schema.json", {}),
        "events/SibylEvent.schema.json": file("events/SibylEvent.schema.json", {}),
      },
      ["SibylEvent"],
    );
    expect(nameOf).toEqual({
      "api/Item.schema.json": "api_Item",
      "common/Item.schema.json": "common_Item",
      "events/SibylEvent.schema.json": "events_SibylEvent",
    });
  });

  it("refuses references it cannot make work inside the document", () => {
    const one = (schema: Record<string, unknown>) => () =>
      schemaComponents({ "events/A.schema.json": file("events/A.schema.json", schema) });
    expect(one({ $ref: "../common/Missing.schema.json" })).toThrow(/points outside the schema files/);
    expect(one({ $ref: "#anchor" })).toThrow(/plain-name fragment/);
    expect(one({ properties: { a: { $id: "inner", type: "string" } } })).toThrow(/nested \$id/);
  });
});

describe("buildOpenApiDocument", () => {
  const sources = {
    version: "1.2.3",
    schemaFiles,
    eventTypes: Object.values(eventRegistry),
  };

  it("takes a new event type from the sources, with no change to the builder", () => {
    const path = "events/BrandNew.schema.json";
    const document = buildOpenApiDocument({
      ...sources,
      schemaFiles: {
        ...schemaFiles,
        [path]: file(path, {
          title: "BrandNew",
          type: "object",
          required: ["event_type", "user_info"],
          properties: {
            event_type: { const: "BrandNew" },
            user_info: { $ref: "../common/UserInfo.schema.json" },
          },
        }),
      },
      eventTypes: [
        ...sources.eventTypes,
        { eventType: "BrandNew", schemaPath: path, group: "config", tracking: false },
      ],
    }) as {
      info: { version: string };
      paths: Record<string, { post: { description: string } }>;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    expect(document.info.version).toBe("1.2.3");
    const { schemas } = document.components;
    expect(schemas.BrandNew).toMatchObject({
      properties: { user_info: { $ref: "#/components/schemas/UserInfo" } },
    });
    const union = schemas[EVENT_COMPONENT] as {
      oneOf: unknown[];
      discriminator: { mapping: Record<string, string> };
    };
    expect(union.oneOf).toContainEqual({ $ref: "#/components/schemas/BrandNew" });
    expect(union.discriminator.mapping.BrandNew).toBe("#/components/schemas/BrandNew");
    expect(document.paths["/v1/events"]!.post.description).toContain("BrandNew");
  });

  it("names the event types that need a server key", () => {
    const document = buildOpenApiDocument(sources) as {
      paths: Record<string, { post: { description: string } }>;
    };
    const description = document.paths["/v1/events"]!.post.description;
    for (const definition of Object.values(eventRegistry)) {
      if (!definition.tracking) expect(description).toContain(definition.eventType);
    }
  });
});
