// Test support (not part of the console): a stand-in for the server's HTTP API, answering as the server does
// (the same schemas, the same validation of events), with the engine's answers given by each test.
import { eventRegistry, type RejectedLine, type SibylEvent, schemaFiles, validateEvent } from "@sibyl/events";
import type {
  ItemInspection,
  PlacementConfig,
  PreviewBody,
  RecoResponse,
  StatsResponse,
  VisitorInspection,
} from "../api/types.js";

export const SERVER_KEY = "sk_fake_server_key";
export const TRACKING_KEY = "pk_fake_tracking_key";

export interface FakeEngine {
  stats?: () => StatsResponse;
  placements?: PlacementConfig[];
  items?: Record<string, ItemInspection>;
  visitors?: Record<string, VisitorInspection>;
  preview?: (body: PreviewBody) => RecoResponse;
}

export interface FakeServer {
  fetch: typeof fetch;
  /** Every request the console made, as "METHOD /path". */
  requests: string[];
  /** Every event accepted by POST /v1/events. */
  accepted: unknown[];
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const errorBody = (status: number, error: string, message: string) => json(status, { error, message });

export function fakeServer(engine: FakeEngine = {}): FakeServer {
  const requests: string[] = [];
  const accepted: unknown[] = [];
  // Placements change as the engine's do: by PlacementUpsert and PlacementRemove events.
  let placements = [...(engine.placements ?? [])];
  const applied = (event: SibylEvent) => {
    accepted.push(event);
    if (event.event_type === "PlacementUpsert") {
      const { event_type: _type, event_id: _id, event_time: _time, ...config } = event;
      placements = [...placements.filter((entry) => entry.placement_id !== config.placement_id), config];
    }
    if (event.event_type === "PlacementRemove")
      placements = placements.filter((entry) => entry.placement_id !== event.placement_id);
  };
  const fetcher = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), "http://sibyl.test");
    const method = init.method ?? "GET";
    requests.push(`${method} ${url.pathname}${url.search}`);
    if (url.pathname === "/v1/schemas")
      return json(200, {
        event_types: Object.values(eventRegistry).map((entry) => ({
          event_type: entry.eventType,
          group: entry.group,
          tracking: entry.tracking,
          description: entry.description,
          schema: entry.schemaPath,
        })),
        schemas: schemaFiles,
      });
    const key = new Headers(init.headers).get("authorization")?.replace(/^Bearer /, "");
    if (!key) return errorBody(401, "missing_key", "send an API key");
    if (key === TRACKING_KEY && url.pathname !== "/v1/events")
      return errorBody(403, "server_key_required", "this endpoint needs a server key");
    if (key !== SERVER_KEY && key !== TRACKING_KEY)
      return errorBody(401, "invalid_key", "the API key is not valid");
    const segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
    if (method === "POST" && url.pathname === "/v1/events") return ingest(String(init.body ?? ""), applied);
    if (url.pathname === "/v1/stats") return json(200, engine.stats ? engine.stats() : emptyStats());
    if (url.pathname === "/v1/placements") return json(200, { placements });
    if (url.pathname === "/v1/placements/preview" && engine.preview)
      return json(200, engine.preview(JSON.parse(String(init.body)) as PreviewBody));
    if (segments[1] === "items" && segments[2] !== undefined) {
      const item = engine.items?.[segments[2]];
      return item ? json(200, item) : errorBody(404, "unknown_item", `no item "${segments[2]}"`);
    }
    if (segments[1] === "visitors" && segments[2] !== undefined) {
      const visitor = engine.visitors?.[segments[2]];
      return visitor ? json(200, visitor) : errorBody(404, "unknown_visitor", `no visitor "${segments[2]}"`);
    }
    return errorBody(404, "not_found", `no endpoint ${method} ${url.pathname}`);
  };
  return { fetch: fetcher as typeof fetch, requests, accepted };
}

/** POST /v1/events as the server answers it: each line validated, a report naming each rejected one. */
function ingest(body: string, apply: (event: SibylEvent) => void): Response {
  const rejected: RejectedLine[] = [];
  let count = 0;
  body.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const result = validateEvent(JSON.parse(line));
    if (result.ok) {
      apply(result.event);
      count++;
    } else rejected.push({ line: index + 1, event_type: result.eventType, errors: result.errors });
  });
  const status = rejected.length === 0 ? 200 : count > 0 ? 207 : 400;
  return json(status, { accepted: count, rejected });
}

/** What /v1/stats answers for a fresh engine that has seen nothing. */
export function emptyStats(): StatsResponse {
  return {
    events: {},
    totalEvents: 0,
    duplicates: 0,
    items: 0,
    catalogued: 0,
    visitors: 0,
    placements: 7,
    attribution: [],
    unattributed: 0,
    now: 0,
    live: {
      uptime_seconds: 1,
      window_seconds: 1,
      events_per_second: {},
      rejected_per_second: 0,
      recommend: { requests_per_second: 0, latency_ms: null, by_placement: {} },
    },
  };
}
