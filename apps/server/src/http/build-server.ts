import cors from "@fastify/cors";
import { Transform } from "node:stream";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { sendError } from "./error-reply.js";
import { consoleRoutes } from "./routes/console.js";
import { healthRoutes } from "./routes/health.js";
import { eventRoutes } from "./routes/events.js";
import { inspectRoutes } from "./routes/inspect.js";
import { openapiRoutes } from "./routes/openapi.js";
import { previewRoutes } from "./routes/preview.js";
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
    // Requests arriving while the server closes get an ErrorBody 503 with Retry-After from the onRequest hook.
    return503OnClosing: false,
  });
  await app.register(cors, { origin: config.corsOrigin === "*" ? true : config.corsOrigin.split(",") });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_BODIES, { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.addContentTypeParser("*", { parseAs: "buffer" }, (request, _body, done) => {
    const error = new Error(
      `unsupported content type ${request.headers["content-type"]?.slice(0, 256) ?? "(none)"}`,
    ) as Error & { statusCode: number };
    error.statusCode = 415;
    done(error, undefined);
  });

  // Back-pressure: bytes of request bodies being worked on; beyond the bound new requests are turned away. A
  // declared Content-Length is reserved on arrival, a chunked body is counted as it arrives; the bytes are given
  // back when the response has been sent or the connection is gone (an aborted upload must not keep them).
  let inFlight = 0;
  const holds = new WeakMap<FastifyRequest, (bytes: number) => boolean>();
  const overloaded = (reply: FastifyReply) =>
    sendError(reply, 503, "overloaded", "the server is at its limit of work in progress; retry shortly", {
      retryAfterSeconds: 1,
    });
  // Closing: new requests are turned away, and every response from now on closes its connection — a keep-alive
  // connection that stayed open would hold app.close() (and so the shutdown) until its idle timeout.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onRequest", async (request, reply) => {
    if (closing) {
      reply.header("connection", "close");
      return sendError(reply, 503, "shutting_down", "the server is shutting down; retry shortly", {
        retryAfterSeconds: 1,
      });
    }
    const declared = Number(request.headers["content-length"] ?? 0);
    let held = Number.isSafeInteger(declared) && declared > 0 ? declared : 0;
    if (inFlight + held > config.maxInFlightBytes) return overloaded(reply);
    inFlight += held;
    holds.set(request, (bytes) => {
      held += bytes;
      inFlight += bytes;
      return inFlight <= config.maxInFlightBytes;
    });
    reply.raw.once("close", () => {
      inFlight -= held;
      held = 0;
    });
  });
  app.addHook("preParsing", async (request, _reply, payload) => {
    const hold = holds.get(request);
    const chunked =
      request.headers["content-length"] === undefined && request.headers["transfer-encoding"] !== undefined;
    if (!hold || !chunked) return payload;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (hold(chunk.length)) done(null, chunk);
        else done(Object.assign(new Error("overloaded"), { statusCode: 503, code: "overloaded" }));
      },
    });
    payload.on("error", (error) => counted.destroy(error));
    return payload.pipe(counted);
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
    if (status === 503 && error.code === "overloaded") return overloaded(reply);
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
  openapiRoutes(app);
  eventRoutes(app, context);
  recommendRoutes(app, context);
  inspectRoutes(app, context);
  previewRoutes(app, context);
  await consoleRoutes(app);
  app.get("/metrics", async (_request, reply) =>
    reply.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics()),
  );
  return app;
}
