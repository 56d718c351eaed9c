import type { JsonSchemaDocument } from "@sibyl/events";

/** The JSON Schema draft the schema files are written in; the OpenAPI document declares it as `jsonSchemaDialect`. */
export const SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#";

/** Base URI for files without `$id`, so that their relative `$ref`s still resolve (never fetched). */
const FALLBACK_BASE = "https://schema-files.invalid/";

/** Keywords whose values are data, not schemas: a `$ref` inside them is not a reference. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples", "example"]);

export interface SchemaComponents {
  /** `components.schemas` entries, one per schema file, by component name. */
  schemas: Record<string, Record<string, unknown>>;
  /** Component name of each schema file, by its path under `schemas/` (e.g. `events/AddToCart.schema.json`). */
  nameOf: Record<string, string>;
}

/**
 * Turns the schema files into OpenAPI `components.schemas`: one component per file, named after the file
 * (`common/ItemRef.schema.json` → `ItemRef`; the directory is prefixed when two files share a name or a name is
 * reserved). The content is kept; what changes is only what makes references work inside one document:
 *
 * - every `$ref` (relative like `../common/ItemRef.schema.json#/definitions/ItemId`, absolute by `$id`, or `#…`
 *   within the file) becomes a reference to the component, `#/components/schemas/ItemRef/definitions/ItemId`;
 * - `$id` is dropped (it would make `#/components/…` resolve against the file's URI instead of the document) and so
 *   is `$schema` (draft-07 forbids it below the root; the document declares the draft as `jsonSchemaDialect`);
 * - `x-sibyl-schema` records the file the component came from (the key of GET /v1/schemas' `schemas`).
 *
 * Throws when a `$ref` points outside the files, uses a plain-name fragment, or a nested `$id` changes the base:
 * the document would be wrong, so the server does not start with it (and the tests fail first).
 */
export function schemaComponents(
  files: Readonly<Record<string, JsonSchemaDocument>>,
  reservedNames: readonly string[] = [],
): SchemaComponents {
  const paths = Object.keys(files).sort();
  const nameOf = componentNames(paths, reservedNames);
  const pathOfUri = new Map<string, string>();
  const baseOf = (path: string): string => {
    const id = files[path]!.$id;
    return typeof id === "string" ? withoutFragment(new URL(id, FALLBACK_BASE + path)) : FALLBACK_BASE + path;
  };
  for (const path of paths) {
    for (const uri of [baseOf(path), FALLBACK_BASE + path]) {
      const known = pathOfUri.get(uri);
      if (known !== undefined && known !== path)
        throw new Error(`schema files ${known} and ${path} have the same URI ${uri}`);
      pathOfUri.set(uri, path);
    }
  }

  const schemas: Record<string, Record<string, unknown>> = {};
  for (const path of paths) {
    const base = baseOf(path);
    const rewriteRef = (ref: string, at: string): string => {
      let target: URL;
      try {
        target = new URL(ref, base);
      } catch {
        throw new Error(`${path}${at}: $ref "${ref}" is not a URI reference`);
      }
      const fragment = target.hash;
      target.hash = "";
      const targetPath = pathOfUri.get(target.href);
      if (targetPath === undefined)
        throw new Error(`${path}${at}: $ref "${ref}" points outside the schema files (${target.href})`);
      if (fragment !== "" && !fragment.startsWith("#/"))
        throw new Error(
          `${path}${at}: $ref "${ref}" uses a plain-name fragment; only JSON pointers are supported`,
        );
      return `#/components/schemas/${nameOf[targetPath]!}${fragment.slice(1)}`;
    };
    const {
      $schema: _schema,
      $id: _id,
      ...content
    } = structuredClone(files[path]!) as Record<string, unknown>;
    rewriteRefs(content, "", path, rewriteRef);
    schemas[nameOf[path]!] = { ...content, "x-sibyl-schema": path };
  }
  return { schemas, nameOf };
}

function rewriteRefs(
  node: unknown,
  at: string,
  path: string,
  rewriteRef: (ref: string, at: string) => string,
): void {
  if (Array.isArray(node)) {
    for (const [index, child] of node.entries()) rewriteRefs(child, `${at}/${index}`, path, rewriteRef);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const object = node as Record<string, unknown>;
  if (at !== "" && object.$id !== undefined)
    throw new Error(`${path}${at}: a nested $id is not supported in the OpenAPI document`);
  for (const [key, value] of Object.entries(object)) {
    if (key === "$ref" && typeof value === "string") object.$ref = rewriteRef(value, at);
    else if (!DATA_KEYWORDS.has(key)) rewriteRefs(value, `${at}/${escapePointer(key)}`, path, rewriteRef);
  }
}

/** `events/AddToCart.schema.json` → `AddToCart`; `dir_Name` for names used twice or reserved. */
function componentNames(paths: readonly string[], reserved: readonly string[]): Record<string, string> {
  const baseName = (path: string) =>
    sanitize(
      path
        .split("/")
        .pop()!
        .replace(/(\.schema)?\.json$/, ""),
    );
  const counts = new Map<string, number>();
  for (const name of [...paths.map(baseName), ...reserved]) counts.set(name, (counts.get(name) ?? 0) + 1);
  const names: Record<string, string> = {};
  const used = new Set(reserved);
  for (const path of paths) {
    const short = baseName(path);
    const name =
      counts.get(short) === 1 ? short : sanitize(path.replace(/(\.schema)?\.json$/, "").replaceAll("/", "_"));
    if (used.has(name)) throw new Error(`schema file ${path} would be component ${name}, which is taken`);
    used.add(name);
    names[path] = name;
  }
  return names;
}

/** Component names must match ^[a-zA-Z0-9.\-_]+$. */
function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

function withoutFragment(url: URL): string {
  url.hash = "";
  return url.href;
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
