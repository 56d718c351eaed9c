import type { RJSFSchema } from "@rjsf/utils";

/** The base every Sibyl schema's `$id` starts with; `$ref`s between files are relative to it. */
export const SCHEMA_BASE_URI = "https://schemas.sibyl.dev/";

/** Schema files as GET /v1/schemas serves them, keyed by their path under schemas/. */
export type SchemaFiles = Readonly<Record<string, Record<string, unknown>>>;

/** A `$ref` that names no schema file, or no place in one. */
export class UnresolvedRefError extends Error {
  constructor(
    readonly ref: string,
    readonly inFile: string,
  ) {
    super(`the $ref "${ref}" in ${inFile} names no schema the server sent`);
    this.name = "UnresolvedRefError";
  }
}

/**
 * One schema file made self-contained: every file it references, directly or not, is copied into its `definitions`
 * (as `common.UserInfo`, `api.Filter` …) and every `$ref` rewritten to point there. Forms and their validator then
 * need nothing but this one document — rjsf resolves only local references in a draft-07 schema — while the rules
 * stay exactly those of the files the server validates with.
 */
export function bundleSchema(files: SchemaFiles, rootPath: string): RJSFSchema {
  const root = files[rootPath];
  if (!root) throw new UnresolvedRefError(rootPath, "(the request)");
  const embedded = new Map<string, Record<string, unknown>>();
  const pending: string[] = [];

  const refTo = (ref: string, fromPath: string): string => {
    const url = new URL(ref, SCHEMA_BASE_URI + fromPath);
    const pointer = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    if (!url.href.startsWith(SCHEMA_BASE_URI)) throw new UnresolvedRefError(ref, fromPath);
    const target = url.href.slice(SCHEMA_BASE_URI.length);
    if (!files[target] || !pointsSomewhere(files[target], pointer))
      throw new UnresolvedRefError(ref, fromPath);
    if (target === rootPath) return `#${encodePointer(pointer)}`;
    if (!embedded.has(target) && !pending.includes(target)) pending.push(target);
    return `#${encodePointer(`/definitions/${definitionName(target)}${pointer}`)}`;
  };

  const rewrite = (node: unknown, fromPath: string): unknown => {
    if (Array.isArray(node)) return node.map((child) => rewrite(child, fromPath));
    if (node === null || typeof node !== "object") return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$id" || key === "$schema") continue;
      copy[key] =
        key === "$ref" && typeof value === "string" ? refTo(value, fromPath) : rewrite(value, fromPath);
    }
    return copy;
  };

  const bundled = rewrite(root, rootPath) as Record<string, unknown>;
  for (let path = pending.shift(); path !== undefined; path = pending.shift())
    embedded.set(path, rewrite(files[path], path) as Record<string, unknown>);
  if (embedded.size > 0) {
    const definitions = { ...((bundled.definitions as Record<string, unknown> | undefined) ?? {}) };
    for (const [path, schema] of embedded) {
      const name = definitionName(path);
      if (Object.hasOwn(definitions, name))
        throw new Error(`${rootPath} already has a definition named ${name}; cannot embed ${path}`);
      definitions[name] = schema;
    }
    bundled.definitions = definitions;
  }
  return bundled as RJSFSchema;
}

/** `common/UserInfo.schema.json` → `common.UserInfo`: unique, as file paths are, and free of pointer escapes. */
export function definitionName(path: string): string {
  return path.replace(/\.schema\.json$/, "").replaceAll("/", ".");
}

function pointsSomewhere(schema: unknown, pointer: string): boolean {
  let node = schema;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** A JSON pointer as a URI fragment (RFC 6901 §6). */
function encodePointer(pointer: string): string {
  return pointer
    .split("/")
    .map((part) => encodeURIComponent(part).replaceAll("%7E", "~"))
    .join("/");
}
