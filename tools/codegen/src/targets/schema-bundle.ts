import type { SchemaSet } from "../schema-set.js";
import { GENERATED_HEADER } from "./header.js";

/** Generates `schemas.ts`: every schema file as data, keyed by its path under `schemas/`, for servers and forms. */
export function generateSchemaBundle(set: SchemaSet): string {
  const entries = set.files.map(
    (file) => `  ${JSON.stringify(file.path)}: ${indent(JSON.stringify(file.schema, null, 2))},`,
  );
  return [
    GENERATED_HEADER,
    'import type { JsonSchemaDocument } from "../schemas/json-schema-document.js";',
    "",
    "/** Every Sibyl JSON Schema, keyed by its path under `schemas/` (e.g. `events/AddToCart.schema.json`). */",
    "export const schemaFiles: Readonly<Record<string, JsonSchemaDocument>> = {",
    ...entries,
    "};",
    "",
  ].join("\n");
}

function indent(text: string): string {
  return text.replace(/\n/g, "\n  ");
}
