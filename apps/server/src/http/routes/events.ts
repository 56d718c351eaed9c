import {
  type DurableEngine,
  InvalidFilterError,
  InvalidRequestError,
  LogWriteError,
  SharedLogError,
  UnknownPlacementError,
} from "@sibyl/engine";
import {
  eventRegistry,
  type Filter,
  type IngestResult,
  type RejectedLine,
  type SibylEvent,
} from "@sibyl/events";
import type { FastifyInstance } from "fastify";
import { requireKey } from "../auth.js";
import { sendError } from "../error-reply.js";
import { boundedLine } from "../ingest/bounded-report.js";
import { parseIngestBody } from "../ingest/parse-body.js";
import type { ServerContext } from "../server-context.js";
import { readyEngine } from "./ready-engine.js";

/**
 * POST /v1/events: one event, a JSON array, or NDJSON. Every line is validated on its own; valid lines are made
 * durable and applied even when others are rejected. Status: 200 all accepted; 207 some accepted, some rejected;
 * 400 none accepted (an ErrorBody when the body holds no event at all); 403 none accepted because the key may not
 * send them; 413 too large; 415 unsupported content type; 503 not ready, overloaded or the log cannot be written
 * (nothing of the request was accepted; retry).
 */
export function eventRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post("/v1/events", async (request, reply) => {
    const kind = requireKey(request, reply, context.keys, "tracking");
    if (!kind) return reply;
    const engine = readyEngine(context, reply);
    if (!engine) return reply;
    const mediaType = (request.headers["content-type"] ?? "application/json")
      .split(";")[0]!
      .trim()
      .toLowerCase();
    const parsed = parseIngestBody(request.body as Buffer | undefined, mediaType, context.config);
    if ("tooMany" in parsed) {
      return sendError(
        reply,
        413,
        "batch_too_large",
        `${parsed.tooMany} events in one request; at most ${context.config.maxBatchEvents}`,
      );
    }
    const lines = parsed.events.length + parsed.rejected.length;
    if (lines === 0) {
      return sendError(reply, 400, "empty_batch", "the body holds no events; send one event per line", {
        errors: [{ pointer: "", message: "holds no events" }],
      });
    }
    const rejected: RejectedLine[] = [...parsed.rejected];
    const events: SibylEvent[] = [];
    const eventLines: number[] = [];
    let forbidden = 0;
    parsed.events.forEach((event, index) => {
      if (kind === "tracking" && !eventRegistry[event.event_type].tracking) {
        forbidden++;
        rejected.push({
          line: parsed.eventLines[index]!,
          event_type: event.event_type,
          errors: [
            {
              pointer: "/event_type",
              message: `${event.event_type} needs a server key; a tracking key may send behaviour events only`,
            },
          ],
        });
      } else {
        events.push(event);
        eventLines.push(parsed.eventLines[index]!);
      }
    });
    let accepted = 0;
    const refusedByEngine = new Set<number>();
    if (events.length > 0) {
      const started = performance.now();
      try {
        const result = await engine.append(events);
        accepted = result.accepted;
        for (const { index, error } of result.rejected) {
          refusedByEngine.add(index);
          rejected.push({
            line: eventLines[index]!,
            event_type: events[index]!.event_type,
            errors: [engineErrorOf(error, { event: events[index]!, engine })],
          });
        }
      } catch (error) {
        if (!(error instanceof LogWriteError || error instanceof SharedLogError)) throw error;
        request.log.error({ err: error }, "the event log cannot be written");
        return sendError(
          reply,
          503,
          "log_unavailable",
          `events could not be made durable (${error.code}); nothing was accepted, retry later`,
          {
            retryAfterSeconds: 5,
          },
        );
      }
      context.metrics.appendSeconds.observe((performance.now() - started) / 1000);
    }
    context.metrics.batchSize.observe(lines);
    context.metrics.live.ingested(
      events.filter((_event, index) => !refusedByEngine.has(index)),
      rejected.length,
    );
    events.forEach((event, index) => {
      if (!refusedByEngine.has(index))
        context.metrics.events.inc({ event_type: event.event_type, result: "accepted" });
    });
    // Only known event types become label values: anything a client invents is "unknown", so no request can
    // grow the number of metric series.
    for (const line of rejected) {
      const known = line.event_type !== undefined && Object.hasOwn(eventRegistry, line.event_type);
      context.metrics.events.inc({ event_type: known ? line.event_type : "unknown", result: "rejected" });
    }
    rejected.sort((a, b) => a.line - b.line);
    const body: IngestResult = { accepted, rejected: rejected.map(boundedLine) };
    const status =
      rejected.length === 0 ? 200 : accepted > 0 ? 207 : forbidden === rejected.length ? 403 : 400;
    return reply.code(status).send(body);
  });
}

/**
 * A refusal by the engine (unknown placement, impossible filter …) as a line error. Given the refused event and
 * the engine that refused it, a filter error in a PlacementUpsert points into the filter at fault — the
 * placement's own or one of its boosts' — rather than always into /filter.
 */
export function engineErrorOf(
  error: Error,
  refused?: { event: SibylEvent; engine: Pick<DurableEngine, "check"> },
): { pointer: string; message: string } {
  if (error instanceof UnknownPlacementError) return { pointer: "/placement", message: error.message };
  if (error instanceof InvalidFilterError) {
    const at = refused ? filterAt(error, refused.event, refused.engine) : "/filter";
    return { pointer: `${at}${error.pointer}`, message: error.message };
  }
  if (error instanceof InvalidRequestError) return { pointer: error.pointer, message: error.message };
  return { pointer: "", message: error.message };
}

/**
 * Where the filter an InvalidFilterError is about sits in the event. The engine's pointer is relative to the
 * filter; a PlacementUpsert has several (its filter, then each boost's, compiled in that order), so each is
 * checked alone to find the first that fails the same way. Checking changes nothing.
 */
function filterAt(
  error: InvalidFilterError,
  event: SibylEvent,
  engine: Pick<DurableEngine, "check">,
): string {
  if (event.event_type !== "PlacementUpsert" || !event.boosts?.length) return "/filter";
  const { filter: _filter, boosts, ...placement } = event;
  const candidates: [string, Filter | undefined][] = [
    ["/filter", event.filter],
    ...boosts.map((boost, index): [string, Filter] => [`/boosts/${index}/filter`, boost.filter]),
  ];
  for (const [at, filter] of candidates) {
    if (filter === undefined) continue;
    try {
      engine.check({ ...placement, filter });
    } catch (candidate) {
      if (
        candidate instanceof InvalidFilterError &&
        candidate.pointer === error.pointer &&
        candidate.message === error.message
      )
        return at;
    }
  }
  return "/filter";
}
