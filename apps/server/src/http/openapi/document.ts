import type { JsonSchemaDocument } from "@sibyl/events";
import { CONSOLE_PATH } from "../routes/console.js";
import { PREVIEW_PATH } from "../routes/preview.js";
import { consolePaths, liveStatsSchema } from "./console-paths.js";
import { SCHEMA_DIALECT, schemaComponents } from "./schema-components.js";

type Json = Record<string, unknown>;

/** What an event type contributes to the document: its schema file and which key may send it. */
export interface EventTypeSource {
  eventType: string;
  /** Key of the schema files, e.g. `events/AddToCart.schema.json`. */
  schemaPath: string;
  group: string;
  tracking: boolean;
}

export interface OpenApiSources {
  /** The server's version (`info.version`). */
  version: string;
  /** Every schema file by path under `schemas/` (`schemaFiles` of @sibyl/events). */
  schemaFiles: Readonly<Record<string, JsonSchemaDocument>>;
  /** Every event type the server takes (the values of `eventRegistry`). */
  eventTypes: readonly EventTypeSource[];
}

/** Where the document is served. */
export const OPENAPI_PATH = "/v1/openapi.json";

/** The one component that is not a schema file: the union of the event types, discriminated by event_type. */
export const EVENT_COMPONENT = "SibylEvent";

const ERROR_BODY = "api/ErrorBody.schema.json";
const INGEST_RESULT = "api/IngestResult.schema.json";
const RECO_RESPONSE = "api/RecoResponse.schema.json";
const IDENTIFIERS = "common/Identifiers.schema.json";
const RECOMMEND_EVENT_TYPES = ["RecoRequest", "SmartSearchRequest"];
const EVENT_SCHEMA = (eventType: string) => `events/${eventType}.schema.json`;

/** Any valid key: the query parameter is read for tracking keys only (a server key there is refused). */
const ANY_KEY = [{ bearerKey: [] }, { headerKey: [] }, { queryKey: [] }];
/** A server key, in a header (OpenAPI 3.1 lets non-OAuth requirements name a role: "server"). */
const SERVER_KEY = [{ bearerKey: ["server"] }, { headerKey: ["server"] }];
const NO_KEY: Json[] = [];

/** Why any endpoint may answer 503 (the onRequest hook, before the route runs). */
const BUSY = "the server is at its limit of work in progress (overloaded) or shutting down (shutting_down)";

/**
 * The OpenAPI 3.1 description of the HTTP API. Request and response bodies reference the schema files, which are
 * put into `components.schemas` once each (see {@link schemaComponents}); the event union and the list of event
 * types that need a server key come from `eventTypes`, so a new event type needs no change here.
 */
export function buildOpenApiDocument(sources: OpenApiSources): Json {
  const components = schemaComponents(sources.schemaFiles, [EVENT_COMPONENT]);
  const componentRef = (path: string, pointer = ""): Json => {
    const name = components.nameOf[path];
    if (name === undefined) throw new Error(`the OpenAPI document needs the schema file ${path}`);
    if (pointer !== "" && resolvePointer(components.schemas[name], pointer) === undefined)
      throw new Error(`the OpenAPI document needs ${path}#${pointer}`);
    return { $ref: `#/components/schemas/${name}${pointer}` };
  };
  const eventTypeSource = (name: string): EventTypeSource => {
    const source = sources.eventTypes.find((candidate) => candidate.eventType === name);
    if (!source) throw new Error(`the OpenAPI document needs the event type ${name}`);
    return source;
  };
  const eventUnion = (eventTypes: readonly EventTypeSource[], description: string): Json => ({
    description,
    oneOf: eventTypes.map(({ schemaPath }) => componentRef(schemaPath)),
    discriminator: {
      propertyName: "event_type",
      mapping: Object.fromEntries(
        eventTypes.map(({ eventType, schemaPath }) => [eventType, componentRef(schemaPath).$ref]),
      ),
    },
  });

  const eventTypes = [...sources.eventTypes].sort((a, b) => (a.eventType < b.eventType ? -1 : 1));
  const serverOnly = eventTypes.filter(({ tracking }) => !tracking).map(({ eventType }) => eventType);
  const errorBody = (description: string, headers?: Json): Json => ({
    description,
    ...(headers ? { headers } : {}),
    content: { "application/json": { schema: componentRef(ERROR_BODY) } },
  });
  const jsonBody = (description: string, schema: Json): Json => ({
    description,
    content: { "application/json": { schema } },
  });
  const retryAfter = { "Retry-After": { $ref: "#/components/headers/RetryAfter" } };
  const response = (name: string): Json => ({ $ref: `#/components/responses/${name}` });
  const ingestResult = (description: string): Json => jsonBody(description, componentRef(INGEST_RESULT));
  const ndjsonBody = (description: string): Json => ({
    schema: { type: "string", description },
    // OpenAPI 3.2's itemSchema (the schema of each line of a sequential media type), as an extension in 3.1.
    "x-itemSchema": { $ref: `#/components/schemas/${EVENT_COMPONENT}` },
  });

  const serverKeyOperation = (operation: Json, responses: Json): Json => ({
    ...operation,
    security: SERVER_KEY,
    "x-sibyl-key": "server",
    responses: {
      ...responses,
      "401": response("Unauthorized"),
      "403": response("ServerKeyRequired"),
      "500": response("InternalError"),
      "503": response("Recovering"),
    },
  });

  const paths: Json = {
    "/v1/events": {
      post: {
        operationId: "sendEvents",
        tags: ["events"],
        summary: "Send events: one, a JSON array, or NDJSON",
        description:
          "Every event (line) is validated on its own; valid ones are made durable and applied even when others " +
          "are rejected, and the IngestResult names each rejected line with a JSON pointer per error. A tracking key " +
          "may send behaviour and recommendation events; these event types need a server key: " +
          `${serverOnly.join(", ")}. Retries are idempotent when events carry an event_id.`,
        security: ANY_KEY,
        "x-sibyl-key": "tracking",
        requestBody: {
          required: true,
          description:
            "A single event or a JSON array of events (application/json; line numbers are 1-based array " +
            "positions), or NDJSON: one event per line (application/x-ndjson, application/ndjson, or text/plain " +
            "— what navigator.sendBeacon can send).",
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  { $ref: `#/components/schemas/${EVENT_COMPONENT}` },
                  {
                    type: "array",
                    description: "A batch of events.",
                    items: { $ref: `#/components/schemas/${EVENT_COMPONENT}` },
                  },
                ],
              },
            },
            "application/x-ndjson": ndjsonBody("NDJSON: one event (SibylEvent) per line."),
            "application/ndjson": ndjsonBody("NDJSON: one event (SibylEvent) per line."),
            "text/plain": ndjsonBody("NDJSON sent as text/plain (navigator.sendBeacon): one event per line."),
          },
        },
        responses: {
          "200": ingestResult("All events were accepted."),
          "207": ingestResult("Some events were accepted, some lines were rejected (see rejected)."),
          "400": jsonBody(
            "No event was accepted: every line is invalid (or the body is not valid JSON), and the IngestResult " +
              "names each; or the body holds no event at all (an ErrorBody, empty_batch).",
            { oneOf: [componentRef(INGEST_RESULT), componentRef(ERROR_BODY)] },
          ),
          "401": response("Unauthorized"),
          "403": ingestResult(
            "No event was accepted because the key may not send them: a tracking key sent only event types " +
              "that need a server key (rejected names each line).",
          ),
          "413": errorBody(
            "Too large: the body exceeds the size limit (payload_too_large), or holds more events than one " +
              "request may (batch_too_large). Nothing was accepted.",
          ),
          "415": response("UnsupportedMediaType"),
          "500": response("InternalError"),
          "503": errorBody(
            "Not ready: the data directory is still being recovered (recovering), the log cannot be written " +
              `(log_unavailable), or ${BUSY}. Nothing of the request was accepted; retry after Retry-After seconds.`,
            retryAfter,
          ),
        },
      },
    },
    "/v1/recommend": {
      post: {
        operationId: "recommend",
        tags: ["recommendations"],
        summary: "Ask a placement for recommendations",
        description:
          "A RecoRequest or SmartSearchRequest, answered with a RecoResponse. event_type may be left out, and the " +
          "body is then read as a RecoRequest. The request is logged like every event, so replays reproduce the " +
          "response and its attribution.",
        security: ANY_KEY,
        "x-sibyl-key": "tracking",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: eventUnion(
                RECOMMEND_EVENT_TYPES.map(eventTypeSource),
                "A RecoRequest (event_type may be left out) or a SmartSearchRequest.",
              ),
            },
          },
        },
        responses: {
          "200": jsonBody("The recommendations.", componentRef(RECO_RESPONSE)),
          "400": errorBody(
            "Invalid request: not valid JSON (invalid_json), not a valid RecoRequest or SmartSearchRequest " +
              "(invalid_request), or a filter the engine cannot apply (invalid_filter); errors points at each " +
              "problem.",
          ),
          "401": response("Unauthorized"),
          "404": errorBody("The placement is not known (unknown_placement)."),
          "413": response("PayloadTooLarge"),
          "415": response("UnsupportedMediaType"),
          "500": response("InternalError"),
          "503": errorBody(
            "Not ready: the data directory is still being recovered (recovering), the request cannot be logged " +
              `(log_unavailable), or ${BUSY}; retry after Retry-After seconds.`,
            retryAfter,
          ),
        },
      },
    },
    "/v1/schemas": {
      get: {
        operationId: "listSchemas",
        tags: ["schemas"],
        summary: "The event types and every JSON Schema file",
        description:
          "For SDKs, forms and API tools; the files are served as they are (draft-07, with $id and relative " +
          "$refs). The same schemas are in this document's components.schemas.",
        security: NO_KEY,
        "x-sibyl-key": "none",
        responses: {
          "200": jsonBody("The event types and schema files.", {
            type: "object",
            additionalProperties: false,
            required: ["event_types", "schemas"],
            properties: {
              event_types: {
                type: "array",
                items: {
                  type: "object",
                  additionalProperties: false,
                  required: ["event_type", "group", "tracking", "description", "schema"],
                  properties: {
                    event_type: { type: "string", enum: eventTypes.map(({ eventType }) => eventType) },
                    group: {
                      type: "string",
                      enum: [...new Set(eventTypes.map(({ group }) => group))].sort(),
                    },
                    tracking: { type: "boolean", description: "Whether a tracking key may send it." },
                    description: { type: "string" },
                    schema: { type: "string", description: "Its schema file: a key of schemas." },
                  },
                },
              },
              schemas: {
                type: "object",
                description:
                  "Every schema file (a draft-07 JSON Schema) by its path, e.g. events/AddToCart.schema.json.",
                additionalProperties: { type: "object" },
              },
            },
          }),
          "500": response("InternalError"),
          "503": response("Overloaded"),
        },
      },
    },
    "/v1/schemas/{eventType}": {
      get: {
        operationId: "getEventSchema",
        tags: ["schemas"],
        summary: "The JSON Schema of one event type",
        security: NO_KEY,
        "x-sibyl-key": "none",
        parameters: [
          {
            name: "eventType",
            in: "path",
            required: true,
            description: "An event type, e.g. AddToCart.",
            schema: { type: "string", enum: eventTypes.map(({ eventType }) => eventType) },
          },
        ],
        responses: {
          "200": jsonBody("The schema file (draft-07, with $id and relative $refs).", { type: "object" }),
          "404": errorBody("Not a Sibyl event type (unknown_event_type)."),
          "500": response("InternalError"),
          "503": response("Overloaded"),
        },
      },
    },
    "/v1/items/{id}": {
      get: serverKeyOperation(
        {
          operationId: "inspectItem",
          tags: ["inspection"],
          summary: "What the engine knows about an item",
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              description: "The item_id.",
              schema: componentRef(IDENTIFIERS, "/definitions/ItemId"),
            },
          ],
        },
        {
          "200": jsonBody("The item: catalog entry, popularity and neighbours.", {
            type: "object",
            required: ["item_id", "catalogued", "removed", "in_stock", "popularity", "neighbours"],
            properties: {
              item_id: { type: "string" },
              catalogued: { type: "boolean" },
              removed: { type: "boolean" },
              in_stock: { type: "boolean" },
              catalog: { type: "object", description: "The catalog entry, when catalogued." },
              popularity: {
                type: "object",
                description: "Decayed interaction counts by interaction kind.",
                additionalProperties: { type: "number" },
              },
              neighbours: {
                type: "object",
                description: 'Top neighbours per pair of kinds ("view>view" …) and "basket".',
                additionalProperties: { type: "array", items: { type: "object" } },
              },
            },
          }),
          "404": errorBody("The engine knows no such item (unknown_item)."),
        },
      ),
    },
    "/v1/visitors/{id}": {
      get: serverKeyOperation(
        {
          operationId: "inspectVisitor",
          tags: ["inspection"],
          summary: "What the engine knows about a visitor or user",
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              description: "A visitor_id, or a user_id with kind=user.",
              schema: { type: "string", minLength: 1 },
            },
            {
              name: "kind",
              in: "query",
              required: false,
              description: "user: the id is a user_id; absent: a visitor_id.",
              schema: { type: "string", enum: ["user"] },
            },
          ],
        },
        {
          "200": jsonBody("The profile: history, session, cart, lists, purchases and affinities.", {
            type: "object",
            required: ["kind", "id", "history", "session", "cart", "lists", "purchased", "affinities"],
            properties: {
              kind: { type: "string", enum: ["visitor", "user"] },
              id: { type: "string" },
              history: { type: "array", items: { type: "object" } },
              session: { type: "object" },
              cart: { type: "array", items: { type: "string" } },
              lists: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
              purchased: { type: "array", items: { type: "object" } },
              affinities: { type: "object" },
            },
          }),
          "404": errorBody("The engine knows no such visitor or user (unknown_visitor)."),
        },
      ),
    },
    "/v1/placements": {
      get: serverKeyOperation(
        {
          operationId: "listPlacements",
          tags: ["inspection"],
          summary: "The placements and their configuration",
        },
        {
          "200": jsonBody("The placements.", {
            type: "object",
            required: ["placements"],
            properties: {
              placements: {
                type: "array",
                items: {
                  type: "object",
                  description:
                    "A placement's configuration: a PlacementUpsert without event_type, event_id and event_time.",
                },
              },
            },
          }),
        },
      ),
    },
    "/v1/stats": {
      get: serverKeyOperation(
        {
          operationId: "getStats",
          tags: ["inspection"],
          summary: "Counts of events, items, visitors and attribution per placement",
        },
        {
          "200": jsonBody("The engine's statistics.", {
            type: "object",
            required: [
              "events",
              "totalEvents",
              "duplicates",
              "items",
              "catalogued",
              "visitors",
              "placements",
              "attribution",
              "unattributed",
              "now",
            ],
            properties: {
              events: {
                type: "object",
                description: "Applied events per event type.",
                additionalProperties: { type: "integer" },
              },
              totalEvents: { type: "integer" },
              duplicates: { type: "integer" },
              items: { type: "integer" },
              catalogued: { type: "integer" },
              visitors: { type: "integer" },
              placements: { type: "integer" },
              attribution: { type: "array", items: { type: "object" } },
              unattributed: { type: "integer" },
              now: { type: "number", description: "The latest event_time applied, ms since the epoch." },
              live: liveStatsSchema(),
            },
          }),
        },
      ),
    },
    [PREVIEW_PATH]: {
      post: serverKeyOperation(
        {
          operationId: "previewPlacement",
          tags: ["inspection"],
          summary: "What a request would get, from the live placement or a draft, changing nothing",
          description:
            "Answers a recommendation request without logging it or changing any state (no session, no " +
            "attribution). With placement (a PlacementUpsert draft) the draft answers instead of the live " +
            "configuration — how the console previews a placement before saving it; without it the live " +
            "placement answers. Error pointers point into this body: /placement/…, /request/….",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  required: ["request"],
                  properties: {
                    placement: {
                      description:
                        "A draft placement configuration: a PlacementUpsert whose event_type may be left out.",
                      ...componentRef(EVENT_SCHEMA("PlacementUpsert")),
                    },
                    request: eventUnion(
                      RECOMMEND_EVENT_TYPES.map(eventTypeSource),
                      "A RecoRequest (event_type may be left out; placement defaults to the draft's " +
                        "placement_id) or a SmartSearchRequest.",
                    ),
                  },
                },
              },
            },
          },
        },
        {
          "200": jsonBody("The recommendations the request would get.", componentRef(RECO_RESPONSE)),
          "400": errorBody(
            "Invalid body: not valid JSON (invalid_json), not a valid draft or request (invalid_request), or a " +
              "filter the engine cannot apply (invalid_filter); errors points at each problem.",
          ),
          "404": errorBody(
            "No draft was given and the request's placement is not known (unknown_placement).",
          ),
          "413": response("PayloadTooLarge"),
          "415": response("UnsupportedMediaType"),
        },
      ),
    },
    "/healthz": {
      get: {
        operationId: "health",
        tags: ["operations"],
        summary: "Liveness: the process answers",
        security: NO_KEY,
        "x-sibyl-key": "none",
        responses: {
          "200": jsonBody("The process answers.", {
            type: "object",
            required: ["status"],
            properties: { status: { const: "ok" } },
          }),
          "503": response("Overloaded"),
        },
      },
    },
    "/readyz": {
      get: {
        operationId: "ready",
        tags: ["operations"],
        summary: "Readiness: recovery has finished and events are taken",
        security: NO_KEY,
        "x-sibyl-key": "none",
        responses: {
          "200": jsonBody("Ready, with the report of the recovery.", {
            type: "object",
            required: ["status", "recovery"],
            properties: {
              status: { const: "ready" },
              recovery: {
                type: "object",
                description:
                  "How the data directory was recovered: snapshot, records replayed, seconds, log report.",
              },
            },
          }),
          "503": {
            description:
              "Not ready: the data directory is still being recovered ({status: recovering}), or (an ErrorBody) " +
              `${BUSY}; retry after Retry-After seconds.`,
            headers: retryAfter,
            content: {
              "application/json": {
                schema: {
                  anyOf: [
                    {
                      type: "object",
                      required: ["status"],
                      properties: { status: { const: "recovering" } },
                    },
                    componentRef(ERROR_BODY),
                  ],
                },
              },
            },
          },
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "metrics",
        tags: ["operations"],
        summary: "Prometheus metrics",
        security: NO_KEY,
        "x-sibyl-key": "none",
        responses: {
          "200": {
            description: "The metrics in the Prometheus text exposition format.",
            content: { "text/plain": { schema: { type: "string" } } },
          },
          "503": response("Overloaded"),
        },
      },
    },
    [OPENAPI_PATH]: {
      get: {
        operationId: "getOpenApi",
        tags: ["schemas"],
        summary: "This OpenAPI 3.1 document",
        security: NO_KEY,
        "x-sibyl-key": "none",
        responses: {
          "200": jsonBody("The OpenAPI document.", { type: "object" }),
          "503": response("Overloaded"),
        },
      },
    },
    ...consolePaths(CONSOLE_PATH, { errorBody, overloaded: response("Overloaded") }),
  };

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: SCHEMA_DIALECT,
    info: {
      title: "Sibyl HTTP API",
      version: sources.version,
      description:
        "Sibyl: a real-time, event-sourced recommendation engine. Send events, ask for recommendations, inspect " +
        "what the engine knows. Keys: a tracking key (public, for browsers) may send behaviour events and ask for " +
        "recommendations; a server key (private) may do everything. Present a key as Authorization: Bearer <key>, " +
        "as X-Sibyl-Key: <key>, or — tracking keys only, for navigator.sendBeacon — as the key query parameter. " +
        "Every error answers with an ErrorBody. Schemas are JSON Schema draft-07 (jsonSchemaDialect).",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    tags: [
      { name: "events", description: "Event ingestion." },
      { name: "recommendations", description: "Recommendations and smart search." },
      { name: "schemas", description: "The JSON Schemas and this document (no key needed)." },
      {
        name: "inspection",
        description: "What the engine knows, for operators and the console (server key).",
      },
      { name: "operations", description: "Health, readiness and metrics (no key needed)." },
      { name: "console", description: "The web console's files (no key needed; the console asks for one)." },
    ],
    paths,
    components: {
      schemas: {
        ...components.schemas,
        [EVENT_COMPONENT]: {
          title: EVENT_COMPONENT,
          ...eventUnion(eventTypes, "Any Sibyl event; event_type says which."),
        },
      },
      responses: {
        Unauthorized: errorBody(
          "No key was sent (missing_key), or it is not valid (invalid_key); a server key sent as the key query " +
            "parameter is not valid.",
        ),
        ServerKeyRequired: errorBody(
          "This endpoint needs a server key; a tracking key was sent (server_key_required).",
        ),
        PayloadTooLarge: errorBody("The body exceeds the size limit (payload_too_large)."),
        UnsupportedMediaType: errorBody(
          "The body's content type is not application/json, application/x-ndjson, application/ndjson or " +
            "text/plain (unsupported_media_type).",
        ),
        InternalError: errorBody("The server failed to answer; it has been logged (internal_error)."),
        Overloaded: errorBody(`Busy: ${BUSY}; retry after Retry-After seconds.`, retryAfter),
        Recovering: errorBody(
          `Not ready: the data directory is still being recovered (recovering), or ${BUSY}; retry after ` +
            "Retry-After seconds.",
          retryAfter,
        ),
      },
      headers: {
        RetryAfter: {
          description: "Seconds to wait before retrying.",
          schema: { type: "integer", minimum: 0 },
        },
      },
      securitySchemes: {
        bearerKey: {
          type: "http",
          scheme: "bearer",
          description:
            "Authorization: Bearer <key>, with a tracking key or a server key. Read first; endpoints marked with " +
            'the role "server" need a server key.',
        },
        headerKey: {
          type: "apiKey",
          in: "header",
          name: "X-Sibyl-Key",
          description:
            "The key in the X-Sibyl-Key header, read when Authorization does not carry a Bearer key.",
        },
        queryKey: {
          type: "apiKey",
          in: "query",
          name: "key",
          description:
            "Tracking keys only, for navigator.sendBeacon, which cannot set headers; read when no header carries " +
            "a key. A server key here is refused as invalid.",
        },
      },
    },
  };
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
