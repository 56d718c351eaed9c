import cors from "@fastify/cors";
import Fastify, { type FastifyInstance } from "fastify";
import { sendError } from "./error-reply.js";
import { healthRoutes } from "./routes/health.js";
import { eventRoutes } from "./routes/events.js";
import { inspectRoutes } from "./routes/inspect.js";
import { recommendRoutes } from "./routes/recommend.js";
import { schemaRoutes } from "./routes/schemas.js";
import type { ServerContext } from "./server-context.js";

const JSON_BODIES = ["application/json", "application/x-ndjson", "application/ndjson", "text/plain"];

/**
 * The HTTP API around the engine. Bodies are read as raw bytes (never parsed by the framework), so that every
 * event is parsed and validated by Sibyl's own code with a line number and a JSON pointer for each error, and no
 * body shape — `__proto__` keys, deep nesting, invalid UTF-8 — reaches anything but that code.
 */
export async function buildServer(context: ServerContext): Promise<FastifyInstance> {
  const { config } = context;
  const app = Fastify({
    logger: config.logLevel === "silent" ? false : { level: config.logLevel },
    bodyLimit: config.maxBodyBytes,
    return503OnClosing: true,
  });
  await app.register(cors, { origin: config.corsOrigin === "*" ? true : config.corsOrigin.split(",") });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_BODIES, { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.addContentTypeParser("*", { parseAs: "buffer" }, (request, _body, done) => {
    const error = new Error(
      `unsupported content type ${request.headers["content-type"] ?? "(none)"}`,
    ) as Error & { statusCode: number };
    error.statusCode = 415;
    done(error, undefined);
  });

  // Back-pressure: bytes of request bodies being worked on; beyond the bound new requests are turned away.
  let inFlight = 0;
  app.addHook("onRequest", async (request, reply) => {
    const length = Number(request.headers["content-length"] ?? 0);
    if (inFlight + length > config.maxInFlightBytes) {
      return sendError(
        reply,
        503,
        "overloaded",
        "the server is at its limit of work in progress; retry shortly",
        { retryAfterSeconds: 1 },
      );
    }
    inFlight += length;
    (request as { inFlightBytes?: number }).inFlightBytes = length;
  });
  app.addHook("onResponse", async (request) => {
    inFlight -= (request as { inFlightBytes?: number }).inFlightBytes ?? 0;
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413)
      return sendError(
        reply,
        413,
        "payload_too_large",
        `the body is larger than ${config.maxBodyBytes} bytes`,
      );
    if (status === 415)
      return sendError(
        reply,
        415,
        "unsupported_media_type",
        `${error.message}; send application/json or application/x-ndjson`,
      );
    if (status >= 400 && status < 500)
      return sendError(reply, status, error.code?.toLowerCase() ?? "bad_request", error.message);
    request.log.error({ err: error }, "request failed");
    return sendError(
      reply,
      500,
      "internal_error",
      "the server failed to answer this request; it has been logged",
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, "not_found", `no endpoint ${request.method} ${request.url.split("?")[0]}`),
  );

  healthRoutes(app, context);
  schemaRoutes(app);
  eventRoutes(app, context);
  recommendRoutes(app, context);
  inspectRoutes(app, context);
  app.get("/metrics", async (_request, reply) =>
    reply.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics()),
  );
  return app;
}
