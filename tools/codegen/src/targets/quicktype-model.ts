import {
  ArrayType,
  type ClassProperty,
  ClassType,
  EnumType,
  MapType,
  PrimitiveType,
  removeNullFromUnion,
  type Type,
  UnionType,
} from "quicktype-core";
import type { SchemaSet } from "../schema-set.js";
import { ModelGenerationError } from "./quicktype-input.js";

/** What the Sibyl renderers know about the schema set beyond quicktype's type graph. */
export interface ModelContext {
  /** Event type name (= top-level name = title) -> description of its `event_type` property. */
  eventTypeDescriptions: ReadonlyMap<string, string>;
  /** Every `title` the schemas set: each must name its type unchanged. */
  titles: ReadonlySet<string>;
}

export function modelContext(set: SchemaSet): ModelContext {
  const eventTypeDescriptions = new Map<string, string>();
  for (const event of set.events) {
    const property = (event.schema.properties as Record<string, { description?: string }>).event_type;
    eventTypeDescriptions.set(event.eventType, property?.description ?? `Always ${event.eventType}.`);
  }
  const titles = new Set<string>();
  const collect = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "title" && typeof value === "string") titles.add(value);
      else collect(value);
    }
  };
  for (const file of set.files) collect(file.schema);
  return { eventTypeDescriptions, titles };
}

/** The event classes, keyed by class, with their event type; found through the top levels named after files. */
export function eventClasses(
  topLevels: ReadonlyMap<string, Type>,
  context: ModelContext,
): Map<ClassType, string> {
  const events = new Map<ClassType, string>();
  for (const eventType of [...context.eventTypeDescriptions.keys()].sort()) {
    const type = topLevels.get(eventType);
    if (!(type instanceof ClassType)) {
      throw new ModelGenerationError(`events/${eventType}.schema.json`, "did not become a model class");
    }
    events.set(type, eventType);
  }
  return events;
}

/**
 * Classes that appear inside some event. Their decoders reject unknown properties, as the server does; the
 * other classes are response bodies, whose decoders ignore unknown properties so an SDK keeps reading the
 * answers of a newer server.
 */
export function closedClasses(events: Iterable<ClassType>): Set<ClassType> {
  const closed = new Set<ClassType>();
  const visit = (type: Type): void => {
    if (type instanceof ClassType) {
      if (closed.has(type)) return;
      closed.add(type);
    }
    for (const child of type.getChildren()) visit(child);
  };
  for (const event of events) visit(event);
  return closed;
}

/** A property's type without the `null` quicktype adds to optional properties, and whether it is optional. */
export function propertyType(property: ClassProperty): { type: Type; optional: boolean } {
  const type = property.type;
  if (type instanceof UnionType) {
    const [nullMember, others] = removeNullFromUnion(type);
    if (nullMember !== null && others.size === 1) return { type: [...others][0]!, optional: true };
  }
  return { type, optional: property.isOptional };
}

const SCALAR_KINDS = ["string", "integer", "double", "bool"] as const;
export type ScalarKind = (typeof SCALAR_KINDS)[number];

/**
 * The members of a union of JSON scalars. A union that mixes objects or arrays (a oneOf of objects) has no
 * faithful model here, so generation stops instead of quietly collapsing it into one class.
 */
export function scalarUnionMembers(union: UnionType, where: string): ScalarKind[] {
  const kinds = [...union.members].map((member) => member.kind);
  const scalars = kinds.filter((kind): kind is ScalarKind =>
    (SCALAR_KINDS as readonly string[]).includes(kind),
  );
  if (scalars.length !== kinds.length) {
    throw new ModelGenerationError(
      where,
      `a union of ${kinds.join(", ")} has no SDK model: only unions of string, number, integer and boolean do`,
    );
  }
  return SCALAR_KINDS.filter((kind) => scalars.includes(kind));
}

/** Types the renderers know how to model; anything else stops generation with the place that needs it. */
export function checkModelledType(type: Type, where: string): void {
  if (type instanceof PrimitiveType) {
    if ((SCALAR_KINDS as readonly string[]).includes(type.kind)) return;
    const why =
      type.kind === "date-time"
        ? "times are integer milliseconds (a date-time would pull in dateutil and time.Time)"
        : "give it a type";
    throw new ModelGenerationError(where, `a ${type.kind} value has no SDK model: ${why}`);
  }
  if (type instanceof ArrayType) checkModelledType(type.items, `${where}[]`);
  else if (type instanceof MapType) checkModelledType(type.values, `${where}{}`);
  else if (type instanceof UnionType) scalarUnionMembers(type, where);
  else if (!(type instanceof ClassType || type instanceof EnumType)) {
    throw new ModelGenerationError(where, `a ${type.kind} has no SDK model`);
  }
}

/**
 * Fails when a type whose schema sets a title is not rendered under that title: quicktype renames a type
 * rather than let two share a name, which would silently change the SDK's public names.
 */
export function checkTitleKept(type: Type, rendered: string, context: ModelContext): void {
  if (!type.hasNames) return;
  const title = type.getCombinedName();
  if (context.titles.has(title) && rendered !== title) {
    throw new ModelGenerationError(
      `title "${title}"`,
      `renders as ${rendered}: another type or a reserved name already uses it; give the schema a distinct title`,
    );
  }
}
