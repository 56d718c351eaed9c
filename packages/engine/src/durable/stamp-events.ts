import { randomBytes } from "node:crypto";
import type { RecoRequest, SibylEvent, SmartSearchRequest } from "@sibyl/events";
import type { Engine, RecommendInput } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import type { PlacementConfig } from "../placements/default-placements.js";

export interface Stamped {
  /** Events to log, event_time filled in where it was missing. */
  accepted: SibylEvent[];
  /** Events refused before reaching the log (unknown placement …), by index in the input. */
  rejected: { index: number; error: SibylEngineError }[];
}

/** Stamps event_time on arrival where it is missing and keeps back what the engine would refuse to apply. */
export function stampEvents(
  engine: Pick<Engine, "check">,
  events: readonly SibylEvent[],
  now: number,
): Stamped {
  const accepted: SibylEvent[] = [];
  const rejected: Stamped["rejected"] = [];
  events.forEach((event, index) => {
    const stamped = event.event_time === undefined ? { ...event, event_time: now } : event;
    try {
      engine.check(stamped);
      accepted.push(stamped);
    } catch (error) {
      if (!(error instanceof SibylEngineError)) throw error;
      rejected.push({ index, error });
    }
  });
  return { accepted, rejected };
}

/** Encodes events as the log stores them: UTF-8 JSON, one event per record. */
export function encodeEvents(events: readonly SibylEvent[]): Buffer[] {
  return events.map((event) => Buffer.from(JSON.stringify(event), "utf8"));
}

/**
 * A recommendation request as it is logged: event_time stamped, and a rec_id generated when the client sent
 * none — logged with the request, so a replay (or another replica) answers with the same one.
 */
export function stampRequest(input: RecommendInput, now: number): RecoRequest | SmartSearchRequest {
  const request: RecoRequest | SmartSearchRequest =
    "event_type" in input ? input : { ...input, event_type: "RecoRequest" };
  return {
    ...request,
    event_time: request.event_time ?? now,
    rec_id: request.rec_id ?? `r-${randomBytes(8).toString("hex")}`,
  };
}

/** The read-only members every durable engine passes straight to its in-memory engine. */
export function readMembers(engine: Engine) {
  return {
    options: engine.options,
    check: (event: SibylEvent) => engine.check(event),
    preview: (request: RecommendInput, placement?: PlacementConfig) => engine.preview(request, placement),
    stats: () => engine.stats(),
    inspectItem: (itemId: string) => engine.inspectItem(itemId),
    inspectVisitor: (id: string | { visitor_id: string } | { user_id: string }) => engine.inspectVisitor(id),
    placements: () => engine.placements(),
    stateHash: () => engine.stateHash(),
  } satisfies Partial<Engine>;
}
