import type { SibylEvent } from "@sibyl/events";
import { InvalidTargetError } from "../errors/evaluation-errors.js";
import { INTERACTION_TYPES, type InteractionType, isInteractionType } from "./interactions.js";

type Operator = ">=" | "<=" | ">" | "<" | "==" | "!=";

/** Which events are targets: an interaction type, optionally with one condition on a field. */
export interface TargetSpec {
  /** The text it was parsed from, e.g. `RateItem:rating>=4`; reports show it. */
  text: string;
  eventType: InteractionType;
  condition?: { path: readonly string[]; operator: Operator; value: number | string };
}

/** The targets when none are named: every positive interaction a shop or a catalog of ratings sends. */
export const DEFAULT_TARGETS = ["DetailItemView", "AddToCart", "PurchaseComplete", "RateItem:rating>=4"];

const CONDITION = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(>=|<=|!=|==|=|>|<)\s*(.+)$/;

/**
 * Parses `<EventType>` or `<EventType>:<field><op><value>`: `PurchaseComplete`, `RateItem:rating>=4`,
 * `VideoInteraction:action==complete`. The field may be a dotted path; `>`, `>=`, `<`, `<=` compare numbers,
 * `==` (or `=`) and `!=` compare numbers or text.
 */
export function parseTarget(text: string): TargetSpec {
  const colon = text.indexOf(":");
  const eventType = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!isInteractionType(eventType)) {
    throw new InvalidTargetError(
      text,
      `"${eventType}" is not an event type that names items; use one of ${INTERACTION_TYPES.join(", ")}`,
    );
  }
  if (colon < 0) return { text, eventType };
  const match = CONDITION.exec(text.slice(colon + 1).trim());
  if (!match) throw new InvalidTargetError(text, "expected a condition like rating>=4 after the colon");
  const [, path, rawOperator, rawValue] = match as unknown as [string, string, string, string];
  const operator = (rawOperator === "=" ? "==" : rawOperator) as Operator;
  const unquoted = /^(["']).*\1$/.test(rawValue.trim()) ? rawValue.trim().slice(1, -1) : undefined;
  const numeric = Number(rawValue);
  const value = unquoted ?? (rawValue.trim() !== "" && Number.isFinite(numeric) ? numeric : rawValue.trim());
  if (typeof value === "string" && operator !== "==" && operator !== "!=")
    throw new InvalidTargetError(text, `${operator} compares numbers, and "${value}" is not one`);
  return { text, eventType, condition: { path: path.split("."), operator, value } };
}

/** Whether an event is a target under any of the specs. */
export function isTarget(event: SibylEvent, specs: readonly TargetSpec[]): boolean {
  return specs.some((spec) => matches(event, spec));
}

function matches(event: SibylEvent, spec: TargetSpec): boolean {
  if (event.event_type !== spec.eventType) return false;
  if (!spec.condition) return true;
  const { path, operator, value } = spec.condition;
  let field: unknown = event;
  for (const key of path) {
    if (field === null || typeof field !== "object" || !Object.hasOwn(field, key)) return false;
    field = (field as Record<string, unknown>)[key];
  }
  if (operator === "==") return field === value;
  if (operator === "!=") return field !== value;
  if (typeof field !== "number" || typeof value !== "number") return false;
  switch (operator) {
    case ">=":
      return field >= value;
    case "<=":
      return field <= value;
    case ">":
      return field > value;
    case "<":
      return field < value;
  }
}
