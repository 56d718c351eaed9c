export type * from "./generated/types.js";
export { EVENT_TYPES, eventRegistry, type EventType } from "./generated/registry.js";
export { schemaFiles } from "./generated/schemas.js";
export { parseNdjson, type NdjsonResult } from "./ndjson/parse-ndjson.js";
export type { EventDefinition, EventGroup } from "./registry/event-definition.js";
export type { JsonSchemaDocument } from "./schemas/json-schema-document.js";
export type { CompiledValidator } from "./validation/compiled-validator.js";
export { getEventDefinition, validateEvent, type ValidationResult } from "./validation/validate-event.js";
