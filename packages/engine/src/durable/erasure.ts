import type { SibylEvent } from "@sibyl/events";
import { comparePositions, type EventLog, type LogPosition } from "../log/index.js";

/** A visitor id ("v:<id>") or user id ("u:<id>") the engine erased. */
export type ErasedKey = string;

/**
 * Removes erased people from the log records up to and including `through` (which a fresh snapshot covers): an event that only
 * concerns them as its actor is kept anonymised — its user_info replaced by a non-personalised one and its context
 * dropped — so replays of the past still count it in anonymous aggregates; records that name them otherwise
 * (merges, their offline lists, the erasure itself) are redacted. Both keep their length, so every log position
 * stays valid, and the rewritten segments replace the old ones atomically.
 */
export async function eraseFromLog(
  log: EventLog,
  erased: readonly ErasedKey[],
  through: LogPosition,
): Promise<number> {
  const visitors = new Set(erased.filter((key) => key.startsWith("v:")).map((key) => key.slice(2)));
  const users = new Set(erased.filter((key) => key.startsWith("u:")).map((key) => key.slice(2)));
  const redact: LogPosition[] = [];
  const replace: { position: LogPosition; payload: Buffer }[] = [];
  for (const record of log.read()) {
    if (comparePositions(record.position, through) > 0) break;
    const event = JSON.parse(record.payload.toString("utf8")) as SibylEvent;
    const treatment = treatmentOf(event, visitors, users);
    if (treatment === "keep") continue;
    const anonymised =
      treatment === "anonymise" ? Buffer.from(JSON.stringify(anonymise(event)), "utf8") : undefined;
    if (anonymised && anonymised.length <= record.payload.length)
      replace.push({ position: record.position, payload: anonymised });
    else redact.push(record.position);
  }
  if (redact.length > 0) await log.redact(redact);
  for (const { position, payload } of replace) await log.replace(position, payload);
  return redact.length + replace.length;
}

function treatmentOf(
  event: SibylEvent,
  visitors: Set<string>,
  users: Set<string>,
): "keep" | "anonymise" | "redact" {
  switch (event.event_type) {
    case "UserMerge":
      return visitors.has(event.from_visitor_id) || users.has(event.to_user_id) ? "redact" : "keep";
    case "UserForget":
      return (event.id_kind === "user" ? users : visitors).has(event.id) ? "redact" : "keep";
    case "OfflineRecommendationsUpsert":
    case "OfflineRecommendationsRemove":
      return (event.key_type === "user" && users.has(event.key)) ||
        (event.key_type === "visitor" && visitors.has(event.key))
        ? "redact"
        : "keep";
    default:
      if (!("user_info" in event)) return "keep";
      return visitors.has(event.user_info.visitor_id) ||
        (event.user_info.user_id !== undefined && users.has(event.user_info.user_id))
        ? "anonymise"
        : "keep";
  }
}

function anonymise(event: SibylEvent): SibylEvent {
  const { context: _context, ...rest } = event as SibylEvent & { context?: unknown };
  return { ...rest, user_info: { visitor_id: "-", privacy: "non_personalized" } } as SibylEvent;
}
