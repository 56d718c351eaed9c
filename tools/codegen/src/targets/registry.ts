import type { SchemaSet } from "../schema-set.js";
import { GENERATED_HEADER } from "./header.js";

/**
 * Generates `registry.ts`: for each event type its validator, schema, group and whether a public tracking key
 * may send it. Everything that dispatches on `event_type` (validation, keys, reducers) reads this one table.
 */
export function generateRegistry(set: SchemaSet): string {
  const entries = set.events.map((event) =>
    [
      `  ${event.eventType}: {`,
      `    eventType: "${event.eventType}",`,
      `    group: "${event.group}",`,
      `    tracking: ${event.tracking},`,
      `    description: ${JSON.stringify(event.schema.description ?? "")},`,
      `    schemaPath: "${event.path}",`,
      `    schema: schemaFiles["${event.path}"]!,`,
      `    validate: validators.${event.eventType},`,
      "  },",
    ].join("\n"),
  );
  return [
    GENERATED_HEADER,
    'import type { EventDefinition } from "../registry/event-definition.js";',
    'import { schemaFiles } from "./schemas.js";',
    'import type { SibylEvent } from "./types.js";',
    'import * as validators from "./validators.js";',
    "",
    "/** The `event_type` of every Sibyl event, in alphabetical order. */",
    `export const EVENT_TYPES = [\n${set.events.map((event) => `  "${event.eventType}",`).join("\n")}\n] as const;`,
    "",
    'export type EventType = SibylEvent["event_type"];',
    "",
    "/** One entry per event type; adding a schema file adds an entry here on `pnpm generate`. */",
    "export const eventRegistry: { readonly [K in EventType]: EventDefinition<K> } = {",
    ...entries,
    "};",
    "",
  ].join("\n");
}
