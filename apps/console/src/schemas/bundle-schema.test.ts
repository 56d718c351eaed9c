import { eventRegistry, schemaFiles } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { bundleSchema, definitionName, type SchemaFiles, UnresolvedRefError } from "./bundle-schema.js";

const files = schemaFiles as SchemaFiles;

/** Every `$ref` in a schema, with where it is. */
function refs(node: unknown, at = ""): { at: string; ref: string }[] {
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => [
    ...(key === "$ref" && typeof value === "string" ? [{ at, ref: value }] : []),
    ...refs(value, `${at}/${key}`),
  ]);
}

function resolve(root: unknown, ref: string): unknown {
  let node = root;
  for (const raw of decodeURIComponent(ref.slice(1)).split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe("bundleSchema", () => {
  it("makes every event schema self-contained: each $ref points inside it, at something", () => {
    for (const { schemaPath } of Object.values(eventRegistry)) {
      const bundled = bundleSchema(files, schemaPath);
      expect(JSON.stringify(bundled), schemaPath).not.toContain('"$id"');
      for (const { at, ref } of refs(bundled)) {
        expect(ref.startsWith("#"), `${schemaPath}${at}: ${ref}`).toBe(true);
        expect(resolve(bundled, ref), `${schemaPath}${at}: ${ref}`).toBeDefined();
      }
    }
  });

  it("embeds each referenced file once, under its path, with its own references rewritten", () => {
    const bundled = bundleSchema(files, "events/PlacementUpsert.schema.json") as Record<string, unknown>;
    const definitions = bundled.definitions as Record<string, Record<string, unknown>>;
    expect(Object.keys(definitions).sort()).toEqual(
      [
        "api.Filter",
        "common.Boost",
        "common.Identifiers",
        "common.InteractionKind",
        "common.PlacementExclusions",
        "common.PlacementStrategy",
      ].sort(),
    );
    // The Filter refers to itself ("#" in its file) and to its own definitions.
    const filter = JSON.stringify(definitions["api.Filter"]);
    expect(filter).toContain('"$ref":"#/definitions/api.Filter"');
    expect(filter).toContain('"$ref":"#/definitions/api.Filter/definitions/FieldPath"');
    expect((bundled.properties as Record<string, { $ref: string }>).event_id!.$ref).toBe(
      "#/definitions/common.Identifiers/definitions/EventId",
    );
  });

  it("names a reference that leads nowhere", () => {
    const broken: SchemaFiles = {
      "events/Broken.schema.json": {
        type: "object",
        properties: { a: { $ref: "../common/Missing.schema.json" } },
      },
    };
    expect(() => bundleSchema(broken, "events/Broken.schema.json")).toThrow(UnresolvedRefError);
    expect(() => bundleSchema(broken, "events/Broken.schema.json")).toThrow(/Missing\.schema\.json.*Broken/);
    const pointer: SchemaFiles = {
      "events/Bad.schema.json": { properties: { a: { $ref: "#/definitions/Nope" } } },
    };
    expect(() => bundleSchema(pointer, "events/Bad.schema.json")).toThrow(UnresolvedRefError);
  });

  it("names embedded files by their path", () => {
    expect(definitionName("common/UserInfo.schema.json")).toBe("common.UserInfo");
    expect(definitionName("api/Filter.schema.json")).toBe("api.Filter");
  });
});
