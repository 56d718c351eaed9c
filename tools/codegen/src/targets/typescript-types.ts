import { compile } from "json-schema-to-typescript";
import { fileUri, isSchema, resolveRef, walkSchema } from "../refs.js";
import type { JsonSchema, SchemaFile, SchemaSet } from "../schema-set.js";
import { GENERATED_HEADER } from "./header.js";

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean"]);

/**
 * Generates `types.ts`: one declaration per titled schema and the `SibylEvent` union.
 *
 * json-schema-to-typescript declares a new numbered type (`Money1`, `Money2` …) for every `$ref` that has a
 * sibling `description`, so the schemas are first prepared in memory: a `$ref` to a scalar (an id, an amount) is
 * inlined with the property's own description, which keeps the per-field documentation; a `$ref` to an object
 * or enum loses its siblings, so every use names the one declared type.
 */
export async function generateTypes(set: SchemaSet): Promise<string> {
  const prepared = new Map(set.files.map((file) => [fileUri(file), prepareFile(set, file)]));
  // json-schema-to-typescript emits only what the root reaches, so the root reaches every event (through the
  // SibylEvent union) and every API body.
  const root: JsonSchema = {
    title: "SibylDocument",
    description:
      "Any document described by Sibyl's schemas: an event, or a request or response body of the API.",
    anyOf: [
      { $ref: "#/definitions/SibylEvent" },
      ...set.files.filter((file) => file.kind === "api").map((file) => ({ $ref: fileUri(file) })),
    ],
    definitions: {
      SibylEvent: {
        title: "SibylEvent",
        description: "Any Sibyl event; narrow on `event_type`.",
        oneOf: set.events.map((event) => ({ $ref: fileUri(event) })),
      },
    },
  };
  const source = await compile(root as never, "SibylDocument", {
    bannerComment: "",
    declareExternallyReferenced: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    format: true,
    style: { printWidth: 110, singleQuote: false },
    $refOptions: {
      resolve: {
        file: false,
        http: false,
        sibyl: {
          order: 1,
          canRead: (file: { url: string }) => prepared.has(file.url),
          read: (file: { url: string }) => JSON.stringify(prepared.get(file.url)),
        },
      },
    } as never,
  });
  return `${GENERATED_HEADER}\n${source}`;
}

function prepareFile(set: SchemaSet, file: SchemaFile): JsonSchema {
  const copy = structuredClone(file.schema);
  walkSchema(copy, (node) => {
    const ref = node.$ref;
    if (typeof ref !== "string" || ref === "#") {
      if (typeof ref === "string") keepOnly(node, "$ref");
      return;
    }
    const resolved = resolveRef(set, file, ref);
    if (!resolved) throw new Error(`${file.path}: unresolved $ref ${ref}`);
    if (isScalar(resolved.target)) {
      const description = node.description ?? resolved.target.description;
      keepOnly(node);
      const { title: _title, $id: _id, $schema: _schema, ...rest } = resolved.target;
      Object.assign(node, rest, description === undefined ? {} : { description });
    } else {
      keepOnly(node, "$ref");
    }
  });
  delete copy["x-sibyl"];
  return copy;
}

function isScalar(schema: JsonSchema): boolean {
  if (schema.enum !== undefined || !isSchema(schema)) return false;
  const type = schema.type;
  const types = Array.isArray(type) ? type : [type];
  return types.length > 0 && types.every((entry) => typeof entry === "string" && SCALAR_TYPES.has(entry));
}

function keepOnly(node: JsonSchema, ...keys: string[]): void {
  for (const key of Object.keys(node)) if (!keys.includes(key)) delete node[key];
}
