import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** The group of an event type, which decides who may send it and how the engine treats it. */
export type EventGroup = "catalog" | "behaviour" | "reco" | "config" | "identity";
export const EVENT_GROUPS: readonly EventGroup[] = ["catalog", "behaviour", "reco", "config", "identity"];

export interface SchemaFile {
  /** Path relative to the schemas root, with forward slashes, e.g. `events/AddToCart.schema.json`. */
  path: string;
  absolutePath: string;
  /** Which folder it lives in. */
  kind: "events" | "common" | "api";
  /** File name without `.schema.json`. */
  name: string;
  schema: JsonSchema;
}

export interface EventSchemaFile extends SchemaFile {
  kind: "events";
  eventType: string;
  group: EventGroup;
  /** Whether a public (browser) tracking key may send this event type. */
  tracking: boolean;
}

export interface SchemaSet {
  root: string;
  files: SchemaFile[];
  events: EventSchemaFile[];
}

// A JSON Schema as read from disk; only the keywords the generator reads are typed.
export type JsonSchema = { [keyword: string]: unknown };

export const SCHEMA_BASE_URI = "https://schemas.sibyl.dev/";

export class SchemaSetError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "SchemaSetError";
  }
}

/** Finds the repository's `schemas/` folder from a directory inside the repository. */
export function findSchemasRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml")) && existsSync(join(dir, "schemas"))) {
      return join(dir, "schemas");
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no schemas/ folder found above ${from}`);
    dir = parent;
  }
}

/** Reads every schema file, sorted by path so everything generated from the set is deterministic. */
export function loadSchemaSet(root: string = findSchemasRoot()): SchemaSet {
  const files: SchemaFile[] = [];
  for (const kind of ["common", "api", "events"] as const) {
    const dir = join(root, kind);
    for (const entry of readdirSync(dir).sort()) {
      if (!entry.endsWith(".schema.json")) {
        throw new SchemaSetError(join(kind, entry), "schema files must be named <Name>.schema.json");
      }
      const absolutePath = join(dir, entry);
      const path = relative(root, absolutePath).split("\\").join("/");
      let schema: JsonSchema;
      try {
        schema = JSON.parse(readFileSync(absolutePath, "utf8")) as JsonSchema;
      } catch (error) {
        throw new SchemaSetError(path, `not valid JSON: ${(error as Error).message}`);
      }
      files.push({ path, absolutePath, kind, name: entry.slice(0, -".schema.json".length), schema });
    }
  }
  const events = files.filter((file) => file.kind === "events").map(toEventFile);
  return { root, files, events };
}

function toEventFile(file: SchemaFile): EventSchemaFile {
  const meta = file.schema["x-sibyl"] as { group?: unknown; tracking?: unknown } | undefined;
  const group = meta?.group;
  if (typeof group !== "string" || !EVENT_GROUPS.includes(group as EventGroup)) {
    throw new SchemaSetError(file.path, `"x-sibyl".group must be one of ${EVENT_GROUPS.join(", ")}`);
  }
  if (typeof meta?.tracking !== "boolean") {
    throw new SchemaSetError(file.path, `"x-sibyl".tracking must be true or false`);
  }
  return {
    ...file,
    kind: "events",
    eventType: file.name,
    group: group as EventGroup,
    tracking: meta.tracking,
  };
}
