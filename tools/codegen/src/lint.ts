import { fileUri, isSchema, resolveRef, walkSchema } from "./refs.js";
import type { JsonSchema, SchemaFile, SchemaSet } from "./schema-set.js";

export const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

export interface LintProblem {
  file: string;
  /** JSON pointer of the offending subschema inside the file. */
  pointer: string;
  message: string;
}

/** Open maps are allowed by name only: everything else must be a closed object. */
const OPEN_MAPS = new Set(["Attributes"]);

/**
 * Checks the rules every schema file follows so that all generators (TypeScript, ajv, quicktype) and the console
 * forms see the same, fully documented, bounded shapes.
 */
export function lintSchemaSet(set: SchemaSet): LintProblem[] {
  const problems: LintProblem[] = [];
  const used = new Set<string>();
  for (const file of set.files) {
    const report = (pointer: string, message: string) => problems.push({ file: file.path, pointer, message });
    lintHeader(file, report);
    walkSchema(file.schema, (node, position) => {
      const ref = node.$ref;
      if (typeof ref === "string") {
        const resolved = resolveRef(set, file, ref);
        if (!resolved) report(position.pointer, `$ref ${ref} does not resolve`);
        else used.add(`${fileUri(resolved.file)}#${resolved.pointer}`);
      }
      const isTopOrProperty = position.pointer === "" || position.propertyName !== undefined;
      const isDefinition = /\/definitions\/[^/]+$/.test(position.pointer);
      const isArrayItem = position.pointer.endsWith("/items");
      if ((isTopOrProperty || isDefinition || isArrayItem) && typeof node.description !== "string") {
        report(position.pointer, "has no description");
      }
      lintShape(node, position.pointer, report);
    });
  }
  for (const file of set.files.filter((candidate) => candidate.kind !== "events")) {
    const definitions = isSchema(file.schema.definitions) ? Object.keys(file.schema.definitions) : [];
    // A common file is used through its definitions when it has some, otherwise as a whole.
    const targets =
      definitions.length > 0
        ? definitions.map((name) => `/definitions/${name}`)
        : file.kind === "common"
          ? [""]
          : [];
    for (const pointer of targets) {
      if (!used.has(`${fileUri(file)}#${pointer}`)) {
        problems.push({ file: file.path, pointer, message: "is defined but never referenced" });
      }
    }
  }
  return problems;
}

function lintHeader(file: SchemaFile, report: (pointer: string, message: string) => void): void {
  const { schema } = file;
  if (schema.$schema !== DRAFT_07) report("/$schema", `must be ${DRAFT_07}`);
  if (schema.$id !== fileUri(file)) report("/$id", `must be ${fileUri(file)}`);
  if (schema.title !== file.name) report("/title", `must equal the file name ${file.name}`);
  if (file.kind !== "events") return;
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const eventType = properties.event_type;
  if (!isSchema(eventType) || eventType.const !== file.name) {
    report("/properties/event_type", `must be { "const": "${file.name}" }`);
  }
  const required = Array.isArray(schema.required) ? schema.required : [];
  if (!required.includes("event_type")) report("/required", "must include event_type");
  const group = (schema["x-sibyl"] as { group?: string }).group;
  const isUserEvent = group === "behaviour" || group === "reco";
  if (isUserEvent !== required.includes("user_info")) {
    report("/required", `${isUserEvent ? "must" : "must not"} include user_info for a ${group} event`);
  }
}

function lintShape(
  node: JsonSchema,
  pointer: string,
  report: (pointer: string, message: string) => void,
): void {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes("object") || node.properties !== undefined) {
    const open = isSchema(node.additionalProperties) && OPEN_MAPS.has(String(node.title));
    if (node.additionalProperties !== false && !open)
      report(pointer, "objects must set additionalProperties: false");
    if (open && typeof node.maxProperties !== "number") report(pointer, "open maps must set maxProperties");
  }
  if (types.includes("array") && typeof node.maxItems !== "number")
    report(pointer, "arrays must set maxItems");
  if (types.includes("string") && !isBoundedString(node)) {
    report(
      pointer,
      "strings must set maxLength (or an anchored pattern without unbounded repetition, or an enum)",
    );
  }
  if (typeof node.format === "string" && node.format.includes("date")) {
    report(pointer, "times are integer milliseconds (EventTime), not date formats");
  }
}

function isBoundedString(node: JsonSchema): boolean {
  if (typeof node.maxLength === "number" || Array.isArray(node.enum) || node.const !== undefined) return true;
  const pattern = node.pattern;
  return (
    typeof pattern === "string" &&
    pattern.startsWith("^") &&
    pattern.endsWith("$") &&
    !/[*+]|\{\d+,\}/.test(pattern)
  );
}
