import {
  InvalidFilterError,
  InvalidRequestError,
  type PlacementConfig,
  UnknownPlacementError,
} from "@sibyl/engine";
import {
  type PlacementUpsert,
  type RecoRequest,
  type SmartSearchRequest,
  type ValidationError,
  validateEvent,
} from "@sibyl/events";
import type { FastifyInstance, FastifyReply } from "fastify";
import { requireKey } from "../auth.js";
import { sendError } from "../error-reply.js";
import { boundedErrors } from "../ingest/bounded-report.js";
import type { ServerContext } from "../server-context.js";
import { engineErrorOf } from "./events.js";
import { readyEngine } from "./ready-engine.js";

export const PREVIEW_PATH = "/v1/placements/preview";

/** Invalid UTF-8 is an error, not silently replaced by U+FFFD. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * POST /v1/placements/preview: `{ request, placement? }` → the RecoResponse the request would get, computed
 * without changing anything — nothing is logged, no session or attribution moves. With `placement` (a
 * PlacementUpsert draft; event_type may be left out) the draft answers instead of the live configuration, which
 * is how a placement is tried before it is saved; without it the live placement answers. Status: 200; 400 invalid
 * body (errors point into it: /placement/…, /request/…); 404 unknown placement (no draft given); 401/403 keys;
 * 503 not ready.
 */
export function previewRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post(PREVIEW_PATH, async (request, reply) => {
    if (!requireKey(request, reply, context.keys, "server")) return reply;
    const engine = readyEngine(context, reply);
    if (!engine) return reply;
    const body = readJson(request.body as Buffer | undefined, reply);
    if (body === undefined) return reply;
    const parsed = parsePreviewBody(body);
    if ("errors" in parsed)
      return sendError(reply, 400, "invalid_request", "the body is not a valid preview request", {
        errors: boundedErrors(parsed.errors),
      });
    const { draft, recoRequest } = parsed;
    let config: PlacementConfig | undefined;
    if (draft) {
      try {
        engine.check(draft);
      } catch (error) {
        if (!(error instanceof InvalidFilterError)) throw error;
        return sendError(reply, 400, error.code, error.message, {
          errors: [atPointer("/placement", engineErrorOf(error, { event: draft, engine }))],
        });
      }
      const { event_type: _type, event_id: _id, event_time: _time, ...rest } = draft;
      config = rest;
    }
    try {
      return engine.preview(recoRequest, config);
    } catch (error) {
      if (error instanceof UnknownPlacementError)
        return sendError(reply, 404, "unknown_placement", error.message, {
          errors: [atPointer("/request", engineErrorOf(error))],
        });
      if (error instanceof InvalidRequestError || error instanceof InvalidFilterError)
        return sendError(reply, 400, error.code, error.message, {
          errors: [atPointer("/request", engineErrorOf(error))],
        });
      throw error;
    }
  });
}

type PreviewBody =
  | { draft: PlacementUpsert | undefined; recoRequest: RecoRequest | SmartSearchRequest }
  | { errors: ValidationError[] };

/**
 * Checks the body's shape with the event validators, so its errors read exactly like an ingest report's, with
 * pointers into the body. A draft's placement_id names the request's placement when the request names none.
 */
export function parsePreviewBody(body: unknown): PreviewBody {
  if (!isObject(body)) return { errors: [{ pointer: "", message: "must be a JSON object" }] };
  const errors: ValidationError[] = [];
  for (const key of Object.keys(body))
    if (key !== "placement" && key !== "request")
      errors.push({ pointer: `/${escapePointer(key)}`, message: "is not a known property here" });
  let draft: PlacementUpsert | undefined;
  if (body.placement !== undefined) {
    if (!isObject(body.placement)) errors.push({ pointer: "/placement", message: "must be an object" });
    else if (body.placement.event_type !== undefined && body.placement.event_type !== "PlacementUpsert")
      errors.push({ pointer: "/placement/event_type", message: "must be PlacementUpsert" });
    else {
      const result = validateEvent({ ...body.placement, event_type: "PlacementUpsert" });
      if (!result.ok) errors.push(...result.errors.map((error) => atPointer("/placement", error)));
      else draft = result.event as PlacementUpsert;
    }
  }
  if (body.request === undefined) errors.push({ pointer: "/request", message: "is required" });
  else if (!isObject(body.request)) errors.push({ pointer: "/request", message: "must be an object" });
  else {
    const candidate: Record<string, unknown> = { event_type: "RecoRequest", ...body.request };
    if (candidate.placement === undefined && draft) candidate.placement = draft.placement_id;
    if (candidate.event_type !== "RecoRequest" && candidate.event_type !== "SmartSearchRequest")
      errors.push({ pointer: "/request/event_type", message: "must be RecoRequest or SmartSearchRequest" });
    else {
      const result = validateEvent(candidate);
      if (!result.ok) errors.push(...result.errors.map((error) => atPointer("/request", error)));
      else if (errors.length === 0)
        return { draft, recoRequest: result.event as RecoRequest | SmartSearchRequest };
    }
  }
  return { errors };
}

function readJson(raw: Buffer | undefined, reply: FastifyReply): unknown {
  let text: string;
  try {
    text = utf8.decode(raw ?? new Uint8Array());
  } catch {
    sendError(reply, 400, "invalid_json", "the body is not valid UTF-8", {
      errors: [{ pointer: "", message: "is not valid UTF-8" }],
    });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    sendError(reply, 400, "invalid_json", `the body is not valid JSON: ${(error as Error).message}`, {
      errors: [{ pointer: "", message: "is not valid JSON" }],
    });
    return undefined;
  }
}

function atPointer(prefix: string, error: ValidationError): ValidationError {
  return { pointer: `${prefix}${error.pointer}`, message: error.message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
