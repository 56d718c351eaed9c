import { InvalidFilterError, InvalidRequestError, LogWriteError, UnknownPlacementError } from "@sibyl/engine";
import { eventRegistry, type IngestResult, type RejectedLine, type SibylEvent } from "@sibyl/events";
import type { FastifyInstance } from "fastify";
import { requireKey } from "../auth.js";
import { sendError } from "../error-reply.js";
import { parseIngestBody } from "../ingest/parse-body.js";
import type { ServerContext } from "../server-context.js";
import { readyEngine } from "./ready-engine.js";

/**
 * POST /v1/events: one event, a JSON array, or NDJSON. Every line is validated on its own; valid lines are made
 * durable and applied even when others are rejected. Status: 200 all accepted; 207 some accepted, some rejected;
 * 400 none accepted; 403 none accepted because the key may not send them; 413 too large; 503 not ready or the log
 * cannot be written (nothing of the request was accepted; retry).
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
    const parsed = parseIngestBody(request.body as Buffer, mediaType, context.config.maxLineBytes);
    const lines = parsed.events.length + parsed.rejected.length;
    if (lines > context.config.maxBatchEvents) {
      return sendError(
        reply,
        413,
        "batch_too_large",
        `${lines} events in one request; at most ${context.config.maxBatchEvents}`,
      );
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
    if (events.length > 0) {
      const started = performance.now();
      try {
        const result = await engine.append(events);
        accepted = result.accepted;
        for (const { index, error } of result.rejected) {
          rejected.push({
            line: eventLines[index]!,
            event_type: events[index]!.event_type,
            errors: [engineErrorOf(error)],
          });
        }
      } catch (error) {
        if (!(error instanceof LogWriteError)) throw error;
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
    for (const event of events)
      context.metrics.events.inc({ event_type: event.event_type, result: "accepted" });
    for (const line of rejected)
      context.metrics.events.inc({ event_type: line.event_type ?? "unknown", result: "rejected" });
    rejected.sort((a, b) => a.line - b.line);
    const body: IngestResult = { accepted, rejected };
    const status =
      rejected.length === 0 ? 200 : accepted > 0 ? 207 : forbidden === rejected.length ? 403 : 400;
    return reply.code(status).send(body);
  });
}

/** A refusal by the engine (unknown placement, impossible filter …) as a line error. */
export function engineErrorOf(error: Error): { pointer: string; message: string } {
  if (error instanceof UnknownPlacementError) return { pointer: "/placement", message: error.message };
  if (error instanceof InvalidFilterError)
    return { pointer: `/filter${error.pointer}`, message: error.message };
  if (error instanceof InvalidRequestError) return { pointer: error.pointer, message: error.message };
  return { pointer: "", message: error.message };
}
