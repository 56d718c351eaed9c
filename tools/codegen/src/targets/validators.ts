import standaloneCode from "ajv/dist/standalone/index.js";
import type { SchemaSet } from "../schema-set.js";
import { createAjv } from "./ajv-instance.js";
import { GENERATED_HEADER } from "./header.js";

/**
 * Generates `validators.ts`: ajv standalone code, one exported validator per event type, so no schema is
 * compiled when the process starts.
 *
 * ajv's standalone output loads its runtime helpers (string length, formats, deep equality) with `require` even
 * in ESM mode, and those are CommonJS modules whose default import differs between Node and bundlers, so the
 * module gets a `require` of its own from `createRequire`.
 */
export function generateValidators(set: SchemaSet): string {
  const ajv = createAjv(set, { code: { source: true, esm: true, lines: true } });
  const exports = Object.fromEntries(
    set.events.map((event) => [event.eventType, event.schema.$id as string]),
  );
  const code = standaloneCode.default(ajv, exports);
  const body = code
    .replace(/^"use strict";\n/, "")
    .replace(/^export const (\w+) = (\w+);$/gm, "export const $1: CompiledValidator = $2;");
  return [
    GENERATED_HEADER,
    "// @ts-nocheck: ajv's generated code is plain JavaScript; its exports are typed below by CompiledValidator.",
    'import { createRequire } from "node:module";',
    'import type { CompiledValidator } from "../validation/compiled-validator.js";',
    "",
    "const require = createRequire(import.meta.url);",
    "",
    body.trimEnd(),
    "",
  ].join("\n");
}
