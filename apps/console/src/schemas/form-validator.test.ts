import type { RJSFSchema } from "@rjsf/utils";
import { eventRegistry, schemaFiles, validateEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { vectors } from "../testing/vectors.js";
import { bundleSchema, type SchemaFiles } from "./bundle-schema.js";
import { createFormValidator, validateAsServer } from "./form-validator.js";

const validator = createFormValidator();
const bundles = new Map<string, RJSFSchema>();
const schemaOf = (eventType: string) => {
  let schema = bundles.get(eventType);
  if (!schema) {
    const path = eventRegistry[eventType as keyof typeof eventRegistry].schemaPath;
    schema = bundleSchema(schemaFiles as SchemaFiles, path);
    bundles.set(eventType, schema);
  }
  return schema;
};

describe("the forms' validation", () => {
  it("accepts every valid test vector, as the server does", () => {
    const valid = vectors("valid");
    expect(valid.length).toBeGreaterThan(100);
    for (const { eventType, name, event } of valid)
      expect(validateAsServer(validator, schemaOf(eventType), event), `${eventType}/${name}`).toEqual([]);
  });

  it("reports what the server reports for every invalid test vector, in the server's words and pointers", () => {
    const invalid = vectors("invalid").filter(({ event }) => event.event_type !== undefined);
    expect(invalid.length).toBeGreaterThan(100);
    let compared = 0;
    for (const { eventType, name, event } of invalid) {
      const server = validateEvent(event);
      expect(server.ok, `${eventType}/${name}`).toBe(false);
      if (server.ok || !((event.event_type as string) in eventRegistry)) continue;
      const form = validateAsServer(validator, schemaOf(event.event_type as string), event);
      // The server stops at the first error; the form shows them all, the server's among them.
      for (const error of server.errors) expect(form, `${eventType}/${name}`).toContainEqual(error);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("gives rjsf each error under the field its pointer names", () => {
    const schema = schemaOf("DetailItemView");
    const { errors, errorSchema } = validator.validateFormData(
      { event_type: "DetailItemView", user_info: { visitor_id: "" }, item: {}, colour: "red" },
      schema,
    );
    expect(errors.map((error) => error.stack).sort()).toEqual(
      [
        "/colour is not a known property here",
        "/item/item_id is required",
        "/user_info/visitor_id must NOT have fewer than 1 characters",
      ].sort(),
    );
    expect(errorSchema).toMatchObject({
      user_info: { visitor_id: { __errors: ["must NOT have fewer than 1 characters"] } },
      item: { item_id: { __errors: ["is required"] } },
      colour: { __errors: ["is not a known property here"] },
    });
  });
});
