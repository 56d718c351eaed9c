import Ajv, { type Options } from "ajv";
import addFormats from "ajv-formats";
import type { SchemaSet } from "../schema-set.js";

/**
 * The one ajv configuration Sibyl validates with, shared by the generator (standalone code) and the schema lint.
 * `allErrors` stays off: the first error of an event is enough to reject it and keeps validation fast.
 */
export function createAjv(set: SchemaSet, options: Options = {}): Ajv.default {
  const ajv = new Ajv.default({
    strict: true,
    allowUnionTypes: true,
    allErrors: false,
    schemas: set.files.map((file) => file.schema),
    ...options,
  });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: "x-sibyl", metaSchema: { type: "object" } });
  return ajv;
}
