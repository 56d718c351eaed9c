import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSchemasRoot } from "./schema-set.js";

/** A private copy of the repository's schemas that a test may edit. */
export function copySchemas(): string {
  const dir = mkdtempSync(join(tmpdir(), "sibyl-schemas-"));
  cpSync(findSchemasRoot(), join(dir, "schemas"), { recursive: true });
  return join(dir, "schemas");
}

/** Edits one schema file of a copy in place. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach deep into schemas they know the shape of.
export function editSchema(root: string, path: string, edit: (schema: any) => void): void {
  const file = join(root, path);
  const schema = JSON.parse(readFileSync(file, "utf8"));
  edit(schema);
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
}
