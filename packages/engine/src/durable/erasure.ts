import type { SibylEvent } from "@sibyl/events";
import { createEngine, type Engine, engineInternals } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import type { EngineOptions } from "../options.js";
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
    const treatment = erasureTreatment(event, visitors, users);
    if (treatment === "keep") continue;
    const anonymised =
      treatment === "anonymise" ? Buffer.from(JSON.stringify(anonymiseForErasure(event)), "utf8") : undefined;
    if (anonymised && anonymised.length <= record.payload.length)
      replace.push({ position: record.position, payload: anonymised });
    else redact.push(record.position);
  }
  if (redact.length > 0) await log.redact(redact);
  for (const { position, payload } of replace) await log.replace(position, payload);
  return redact.length + replace.length;
}

/** What erasing people does to one logged event that mentions them (or not). */
export type ErasureTreatment = "keep" | "anonymise" | "redact";

/**
 * How a logged event is treated when the erased visitors and users are removed from a log: kept as it is,
 * anonymised (it only concerns them as its actor), or redacted (it names them otherwise).
 */
export function erasureTreatment(
  event: SibylEvent,
  visitors: ReadonlySet<string>,
  users: ReadonlySet<string>,
): ErasureTreatment {
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

/** The event without its actor: user_info replaced by a non-personalised one, context dropped. */
export function anonymiseForErasure(event: SibylEvent): SibylEvent {
  const { context: _context, ...rest } = event as SibylEvent & { context?: unknown };
  return { ...rest, user_info: { visitor_id: "-", privacy: "non_personalized" } } as SibylEvent;
}

/**
 * Learns whom a log's UserForget events erased — the person named, the user a visitor was merged into and every
 * visitor merged into that user — by applying the log's events, in order, to an engine of its own. A log Sibyl
 * cannot edit in place (a Kafka topic) is rewritten with what it learns.
 */
export class ErasureCollector {
  private readonly engine: Engine;
  readonly visitors = new Set<string>();
  readonly users = new Set<string>();

  constructor(options: EngineOptions = {}) {
    this.engine = createEngine(options);
  }

  apply(event: SibylEvent): void {
    let result: unknown;
    try {
      result = engineInternals(this.engine).applyEvent(event).result;
    } catch (error) {
      // Refused the same way by every replica: it changed nothing, so it erased no one.
      if (!(error instanceof SibylEngineError)) throw error;
      return;
    }
    if (event.event_type !== "UserForget" || !Array.isArray(result)) return;
    for (const key of result as ErasedKey[])
      (key.startsWith("v:") ? this.visitors : this.users).add(key.slice(2));
  }
}
