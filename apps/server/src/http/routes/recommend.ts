import {
  InvalidFilterError,
  InvalidRequestError,
  LogWriteError,
  SharedLogError,
  UnknownPlacementError,
} from "@sibyl/engine";
import { type RecoRequest, type SmartSearchRequest, validateEvent } from "@sibyl/events";
import type { FastifyInstance } from "fastify";
import { requireKey } from "../auth.js";
import { sendError } from "../error-reply.js";
import type { ServerContext } from "../server-context.js";
import { boundedErrors } from "../ingest/bounded-report.js";
import { readyEngine } from "./ready-engine.js";
import { engineErrorOf } from "./events.js";

/** Invalid UTF-8 is an error, not silently replaced by U+FFFD; a byte order mark is dropped. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * POST /v1/recommend: a RecoRequest (event_type may be left out) or SmartSearchRequest → RecoResponse. The request
 * is logged like every event, so replays reproduce the response and attribution; on the file log it is answered
 * without waiting for that record's fsync (a recommendation acknowledges nothing). Status: 200; 400 invalid request
 * (errors with pointers); 404 unknown placement; 401/403 keys; 503 not ready, or (on a shared log) the log cannot
 * be written.
 */
export function recommendRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post("/v1/recommend", async (request, reply) => {
    if (!requireKey(request, reply, context.keys, "tracking")) return reply;
    const engine = readyEngine(context, reply);
    if (!engine) return reply;
    let text: string;
    try {
      text = utf8.decode((request.body as Buffer | undefined) ?? new Uint8Array());
    } catch {
      return sendError(reply, 400, "invalid_json", "the body is not valid UTF-8", {
        errors: [{ pointer: "", message: "is not valid UTF-8" }],
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return sendError(
        reply,
        400,
        "invalid_json",
        `the body is not valid JSON: ${(error as Error).message}`,
        {
          errors: [{ pointer: "", message: "is not valid JSON" }],
        },
      );
    }
    const candidate =
      body !== null && typeof body === "object" && !Array.isArray(body) && !("event_type" in body)
        ? { ...body, event_type: "RecoRequest" }
        : body;
    const validation = validateEvent(candidate);
    if (!validation.ok)
      return sendError(reply, 400, "invalid_request", "the request is not a valid RecoRequest", {
        errors: boundedErrors(validation.errors),
      });
    const event = validation.event;
    if (event.event_type !== "RecoRequest" && event.event_type !== "SmartSearchRequest") {
      return sendError(reply, 400, "invalid_request", "send a RecoRequest or SmartSearchRequest", {
        errors: [{ pointer: "/event_type", message: "must be RecoRequest or SmartSearchRequest" }],
      });
    }
    const started = performance.now();
    try {
      const response = await engine.recommend(event as RecoRequest | SmartSearchRequest);
      const seconds = (performance.now() - started) / 1000;
      context.metrics.recommendSeconds.observe({ placement: response.placement }, seconds);
      context.metrics.live.recommended(response.placement, seconds);
      return response;
    } catch (error) {
      if (error instanceof UnknownPlacementError)
        return sendError(reply, 404, "unknown_placement", error.message, { errors: [engineErrorOf(error)] });
      if (error instanceof InvalidRequestError || error instanceof InvalidFilterError) {
        return sendError(reply, 400, error.code, error.message, { errors: [engineErrorOf(error)] });
      }
      if (error instanceof LogWriteError || error instanceof SharedLogError) {
        return sendError(
          reply,
          503,
          "log_unavailable",
          `the request could not be logged (${error.code}); retry later`,
          { retryAfterSeconds: 5 },
        );
      }
      throw error;
    }
  });
}
