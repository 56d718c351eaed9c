export { lintSchemaSet, type LintProblem } from "./lint.js";
export { diffOutput, writeOutput, type OutputDiff } from "./output.js";
export {
  EVENT_GROUPS,
  findSchemasRoot,
  loadSchemaSet,
  SchemaSetError,
  type EventGroup,
  type EventSchemaFile,
  type SchemaFile,
  type SchemaSet,
} from "./schema-set.js";
export { generateTypescript } from "./targets/typescript.js";
