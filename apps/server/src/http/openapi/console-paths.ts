type Json = Record<string, unknown>;

interface ResponseBuilders {
  /** A response with an ErrorBody. */
  errorBody: (description: string) => Json;
  /** The shared 503 response of every endpoint. */
  overloaded: Json;
}

/** GET /console, /console/ and /console/{path}: the web console's files (no key; the console asks for one). */
export function consolePaths(consolePath: string, { errorBody, overloaded }: ResponseBuilders): Json {
  const file = (description: string): Json => ({
    description,
    content: {
      "text/html": { schema: { type: "string" } },
      "*/*": { schema: { type: "string", format: "binary" } },
    },
  });
  const notBuilt =
    "The console has not been built (console_not_built; the message says how to build it), or the path " +
    "names a file the console does not have (not_found).";
  const page = (operationId: string): Json => ({
    get: {
      operationId,
      tags: ["console"],
      summary: "The web console",
      security: [],
      "x-sibyl-key": "none",
      responses: {
        "200": file("The console's page (index.html)."),
        "404": errorBody(notBuilt),
        "503": overloaded,
      },
    },
  });
  return {
    [consolePath]: page("console"),
    [`${consolePath}/`]: page("consoleIndex"),
    [`${consolePath}/{path}`]: {
      get: {
        operationId: "consoleFile",
        tags: ["console"],
        summary: "A file of the web console, or one of its pages",
        description:
          "A path naming a file of the built console serves it (assets/ are content-hashed and cached for a " +
          "year); any other path without a file extension is one of the console's pages and serves index.html.",
        security: [],
        "x-sibyl-key": "none",
        parameters: [
          {
            name: "path",
            in: "path",
            required: true,
            description: "A file of the console (e.g. assets/index-1a2b3c.js) or a page (e.g. visitors/ann).",
            schema: { type: "string" },
          },
        ],
        responses: {
          "200": file("The file, or index.html for a page."),
          "404": errorBody(notBuilt),
          "503": overloaded,
        },
      },
    },
  };
}

const rate = (description: string): Json => ({ type: "number", minimum: 0, description });

const recommendActivity = (description: string): Json => ({
  type: "object",
  description,
  required: ["requests_per_second", "latency_ms"],
  properties: {
    requests_per_second: rate("Recommendation requests answered per second."),
    latency_ms: {
      description: "Nearest-rank latency quantiles in milliseconds; null when no request was answered.",
      anyOf: [
        {
          type: "object",
          required: ["p50", "p95", "p99", "max"],
          properties: {
            p50: { type: "number" },
            p95: { type: "number" },
            p99: { type: "number" },
            max: { type: "number" },
          },
        },
        { type: "null" },
      ],
    },
  },
});

/** The `live` part of GET /v1/stats: the last minute's rates (see LiveStats). */
export function liveStatsSchema(): Json {
  return {
    type: "object",
    description:
      "What the server did over the last minute (or since it started, when sooner): the rates the console draws.",
    required: ["uptime_seconds", "window_seconds", "events_per_second", "rejected_per_second", "recommend"],
    properties: {
      uptime_seconds: { type: "number", minimum: 0 },
      window_seconds: { type: "number", minimum: 0, description: "The span the rates are averaged over." },
      events_per_second: {
        type: "object",
        description: "Events accepted per second, by event type (types with none in the window left out).",
        additionalProperties: rate("Events of this type accepted per second."),
      },
      rejected_per_second: rate("Rejected lines per second."),
      recommend: {
        ...recommendActivity("Recommendation requests over the window."),
        required: ["requests_per_second", "latency_ms", "by_placement"],
        properties: {
          ...(recommendActivity("").properties as Json),
          by_placement: {
            type: "object",
            description: "The same, per placement.",
            additionalProperties: recommendActivity("One placement's requests over the window."),
          },
        },
      },
    },
  };
}
