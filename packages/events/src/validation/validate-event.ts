import { eventRegistry } from "../generated/registry.js";
import type { SibylEvent, ValidationError } from "../generated/types.js";
import type { EventDefinition } from "../registry/event-definition.js";
import { fromAjvError } from "./validation-error.js";

export type ValidationResult =
  | { ok: true; event: SibylEvent }
  | {
      ok: false;
      errors: ValidationError[] /** The event_type, when it could be read. */;
      eventType?: string;
    };

const definitions: ReadonlyMap<string, EventDefinition> = new Map(Object.entries(eventRegistry));

/** Looks up an event type; undefined for a name that is not a Sibyl event type. */
export function getEventDefinition(eventType: string): EventDefinition | undefined {
  return definitions.get(eventType);
}

/**
 * Validates any value as a Sibyl event with the precompiled validator of its `event_type`.
 * Never throws: every way a value can be wrong comes back as errors with a JSON pointer.
 */
export function validateEvent(value: unknown): ValidationResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return rejected("", `an event must be a JSON object, not ${describe(value)}`);
  }
  const eventType = (value as { event_type?: unknown }).event_type;
  if (typeof eventType !== "string") {
    return rejected(
      "/event_type",
      eventType === undefined ? "is required" : "must be a string naming the event type",
    );
  }
  const definition = definitions.get(eventType);
  if (!definition)
    return rejected("/event_type", `"${truncate(eventType)}" is not a Sibyl event type`, eventType);
  let valid: boolean;
  try {
    valid = definition.validate(value);
  } catch (error) {
    // Only a recursive shape nested beyond the call stack (a Filter inside thousands of `not`s) gets here.
    if (error instanceof RangeError) return rejected("", "is nested too deeply", eventType);
    throw error;
  }
  if (valid) return { ok: true, event: value as SibylEvent };
  const errors = (definition.validate.errors ?? []).map(fromAjvError);
  return {
    ok: false,
    eventType,
    errors: errors.length > 0 ? errors : [{ pointer: "", message: "is invalid" }],
  };
}

function rejected(pointer: string, message: string, eventType?: string): ValidationResult {
  return eventType === undefined
    ? { ok: false, errors: [{ pointer, message }] }
    : { ok: false, eventType, errors: [{ pointer, message }] };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
