import type { JsonSchema, SchemaFile, SchemaSet } from "./schema-set.js";
import { SCHEMA_BASE_URI } from "./schema-set.js";

/** The absolute URI a schema file is known by (its `$id`). */
export function fileUri(file: SchemaFile): string {
  return SCHEMA_BASE_URI + file.path;
}

export interface ResolvedRef {
  file: SchemaFile;
  /** JSON pointer inside the file, "" for the whole file. */
  pointer: string;
  target: JsonSchema;
}

/** Resolves a `$ref` found in `from` against the schema set; undefined when it points nowhere. */
export function resolveRef(set: SchemaSet, from: SchemaFile, ref: string): ResolvedRef | undefined {
  const absolute = new URL(ref, fileUri(from));
  const pointer = decodeURIComponent(absolute.hash.replace(/^#/, ""));
  absolute.hash = "";
  const file = set.files.find((candidate) => fileUri(candidate) === absolute.href);
  if (!file) return undefined;
  const target = followPointer(file.schema, pointer);
  return target ? { file, pointer, target } : undefined;
}

function followPointer(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  if (pointer === "" || pointer === "/") return schema;
  let node: unknown = schema;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === "object" ? (node as JsonSchema) : undefined;
}

export interface SchemaPosition {
  /** JSON pointer of the subschema inside its file. */
  pointer: string;
  /** Set when the subschema is the value of a `properties` entry. */
  propertyName?: string;
}

const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "definitions"] as const;
const SCHEMA_KEYWORDS = [
  "additionalProperties",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "contains",
] as const;
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf"] as const;

/** Calls `visit` for the schema and every subschema in it, depth first, following the draft-07 keywords. */
export function walkSchema(
  schema: JsonSchema,
  visit: (node: JsonSchema, position: SchemaPosition) => void,
  position: SchemaPosition = { pointer: "" },
): void {
  visit(schema, position);
  const at = (suffix: string, propertyName?: string): SchemaPosition =>
    propertyName === undefined
      ? { pointer: `${position.pointer}/${suffix}` }
      : { pointer: `${position.pointer}/${suffix}`, propertyName };
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = schema[keyword];
    if (!isSchema(map)) continue;
    for (const [name, child] of Object.entries(map)) {
      if (isSchema(child))
        walkSchema(
          child,
          visit,
          at(`${keyword}/${escapeKey(name)}`, keyword === "properties" ? name : undefined),
        );
    }
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    const child = schema[keyword];
    if (isSchema(child)) walkSchema(child, visit, at(keyword));
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    for (const [index, child] of list.entries()) {
      if (isSchema(child)) walkSchema(child, visit, at(`${keyword}/${index}`));
    }
  }
  const items = schema.items;
  if (isSchema(items)) walkSchema(items, visit, at("items"));
  else if (Array.isArray(items)) {
    for (const [index, child] of items.entries()) {
      if (isSchema(child)) walkSchema(child, visit, at(`items/${index}`));
    }
  }
}

export function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function escapeKey(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
