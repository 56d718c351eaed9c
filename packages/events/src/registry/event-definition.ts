import type { JsonSchemaDocument } from "../schemas/json-schema-document.js";
import type { CompiledValidator } from "../validation/compiled-validator.js";

/** Who an event type is for: decides which key may send it and how the engine folds it. */
export type EventGroup = "catalog" | "behaviour" | "reco" | "config" | "identity";

/** What the registry knows about one event type. */
export interface EventDefinition<K extends string = string> {
  eventType: K;
  group: EventGroup;
  /** Whether a public (browser) tracking key may send it; otherwise only a server key may. */
  tracking: boolean;
  /** The schema's description. */
  description: string;
  /** Path of its schema under `schemas/`, a key of `schemaFiles`. */
  schemaPath: string;
  /** The event type's JSON Schema. */
  schema: JsonSchemaDocument;
  validate: CompiledValidator;
}
