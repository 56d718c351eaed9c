import type { DurableEngine } from "@sibyl/engine";
import type { FastifyReply } from "fastify";
import { sendError } from "../error-reply.js";
import type { ServerContext } from "../server-context.js";

/** The engine, or a 503 with Retry-After while the data directory is still being recovered. */
export function readyEngine(context: ServerContext, reply: FastifyReply): DurableEngine | undefined {
  if (context.engine) return context.engine;
  sendError(reply, 503, "recovering", "the server is recovering its data directory; retry shortly", {
    retryAfterSeconds: 1,
  });
  return undefined;
}
